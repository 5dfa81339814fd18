/**
 * The process contract through the built binary (bin/natlint.js → dist/), where it is the point:
 * exit statuses of a real process, stderr kept clean, one-line errors, a closed pipe.
 * Everything else about the commands is tested in process (test/cli*.test.ts).
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BIN = join(ROOT, "bin", "natlint.js");

function run(args: string[], input?: string) {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: "1" };
  delete env.FORCE_COLOR;
  delete env.NATLINT_DEBUG;
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd: ROOT, encoding: "utf8", env, ...(input !== undefined ? { input } : {}) });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

test("--version prints the package version, exit 0", () => {
  const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { version: string };
  const v = run(["--version"]);
  assert.is(v.code, 0);
  assert.is(v.out, `${pkg.version}\n`);
  assert.is(v.err, "");
});

test("the README's main command: lint examples/ exits 1 with the pat-drops-ipsec errors, nothing on stderr", () => {
  const r = run(["lint", "examples/"]);
  assert.is(r.code, 1, r.err);
  assert.match(r.out, /ios-pat-broken\.cfg[\s\S]*pat-drops-ipsec/);
  assert.is(r.err, "");
});

test("usage and I/O errors: exit 2, one line on stderr, no stack trace", () => {
  for (const args of [["nosuch"], ["lint", "--clients", "0", "examples/"], ["lint", "no/such/dir"], ["explain"]]) {
    const r = run(args);
    assert.is(r.code, 2, args.join(" "));
    assert.is(r.err.trim().split("\n").length, 1, r.err);
    assert.ok(r.err.startsWith("natlint: "), r.err);
    assert.not.match(r.err, /\n\s+at /);
  }
});

test("a closed pipe ends the run quietly (natlint … | head -1)", () => {
  const r = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" simulate --clients 2000 | head -1`], { cwd: ROOT, encoding: "utf8" });
  assert.is(r.stdout, "PAT profile ios, global 192.0.2.2, peer 203.0.113.10\n");
  assert.is(r.stderr, "", "no EPIPE stack trace");
});

test("a closed pipe during lint output: no EPIPE stack trace (natlint lint … | head -1)", () => {
  const many = Array.from({ length: 40 }, () => "examples/ios-pat-broken.cfg").join(" ");
  const r = spawnSync("sh", ["-c", `"${process.execPath}" "${BIN}" lint --no-config --format json examples/ ${many} | head -1`], { cwd: ROOT, encoding: "utf8" });
  assert.is(r.stdout, "{\n");
  assert.is(r.stderr, "", "no EPIPE stack trace");
});

test("standard input through the process: natlint lint - < file", () => {
  const r = run(["lint", "--no-config", "--format", "json", "--stdin-filename", "edge.cfg", "-"], readFileSync(join(ROOT, "examples/ios-pat-broken.cfg"), "utf8"));
  assert.is(r.code, 1, r.err);
  assert.ok((JSON.parse(r.out) as { files: Array<{ path: string }> }).files[0]!.path === "edge.cfg");
});

test.run();
