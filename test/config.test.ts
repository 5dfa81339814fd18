import { test } from "uvu";
import * as assert from "uvu/assert";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import AjvModule from "ajv";
import { ConfigError } from "../src/core/errors.js";
import {
  configSchema,
  findConfigFile,
  isIgnored,
  listRuleSettings,
  loadConfig,
  resolveRuleSettings,
  validateRuleReferences,
  type NatlintConfig,
} from "../src/engine/settings.js";

type AjvClass = typeof AjvModule.default;
const Ajv: AjvClass = (AjvModule as unknown as { default?: AjvClass }).default ?? (AjvModule as unknown as AjvClass);

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "natlint-config-"));
function write(rel: string, content: string | object): string {
  const file = path.join(tmp, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, typeof content === "string" ? content : JSON.stringify(content, null, 2));
  return file;
}
/** A message without its `:line:col` after the file name. */
const plain = (m: string) => m.replace(/(\.natlintrc\.json):\d+:\d+:/g, "$1:");
function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (e) {
    if (e instanceof ConfigError) return e;
    throw e;
  }
  throw new Error("expected a ConfigError");
}

const good: NatlintConfig = {
  $schema: "./node_modules/natlint/schemas/natlintrc.schema.json",
  rules: { "pat-drops-ipsec": "error", "shadowed-ace": ["warning", { ignoreRemarks: true }], noisy: "off" },
  clients: 10,
  profile: "asa",
  vendor: "asa",
  ignore: ["vendor/", "*.bak"],
  overrides: [
    { files: ["lab/**/*.cfg"], rules: { "pat-drops-ipsec": "warning" } },
    { files: ["lab/old/*.cfg", "legacy.cfg"], rules: { "pat-drops-ipsec": "off", "shadowed-ace": "info" } },
  ],
  rulesDirs: ["./custom-rules"],
};

write("proj/.natlintrc.json", good);
fs.mkdirSync(path.join(tmp, "proj/.git")); // a repository: the upward search stops at its root
fs.mkdirSync(path.join(tmp, "proj/sub/deeper"), { recursive: true });

test("the shipped schema is valid draft-07 and accepts a full config", () => {
  const ajv = new Ajv({ strict: true, strictTuples: false });
  const validate = ajv.compile(configSchema());
  assert.ok(validate(good), JSON.stringify(validate.errors));
  assert.not.ok(validate({ clients: 0 }));
});

test("upward search from a subdirectory", () => {
  const cwd = path.join(tmp, "proj/sub/deeper");
  const loaded = loadConfig({ cwd });
  assert.is(loaded.file, path.join(tmp, "proj/.natlintrc.json"));
  assert.is(loaded.baseDir, path.join(tmp, "proj"));
  assert.equal(loaded.rulesDirs, [path.join(tmp, "proj/custom-rules")]);
  assert.is(loaded.config.clients, 10);
  assert.is(findConfigFile(cwd), loaded.file);
});

test("startDir option and no config found", () => {
  fs.mkdirSync(path.join(tmp, "elsewhere"), { recursive: true });
  const loaded = loadConfig({ cwd: tmp, startDir: "proj/sub" });
  assert.is(loaded.file, path.join(tmp, "proj/.natlintrc.json"));
  // Nothing in tmp/elsewhere; whatever is above os.tmpdir() (normally nothing) decides the rest.
  const none = loadConfig({ cwd: path.join(tmp, "elsewhere") });
  assert.is(none.file, findConfigFile(tmp));
  if (none.file === undefined) {
    assert.equal(none.config, {});
    assert.is(none.baseDir, path.join(tmp, "elsewhere"));
  }
});

test("--config path overrides the search (relative to cwd)", () => {
  write("proj/ci/strict.json", { rules: { "pat-drops-ipsec": "error" }, clients: 50 });
  const loaded = loadConfig({ cwd: path.join(tmp, "proj/sub"), configPath: "../ci/strict.json" });
  assert.is(loaded.file, path.join(tmp, "proj/ci/strict.json"));
  assert.is(loaded.config.clients, 50);
  assert.is(loaded.baseDir, path.join(tmp, "proj/ci"));
});

test("--config pointing at a missing file", () => {
  const e = configError(() => loadConfig({ cwd: tmp, configPath: "nope.json" }));
  assert.match(e.message, "nope.json: cannot read config file: no such file");
});

test("bad severity names the file and key path", () => {
  write("bad1/.natlintrc.json", { rules: { "pat-drops-ipsec": "loud" } });
  const e = configError(() => loadConfig({ cwd: path.join(tmp, "bad1") }));
  assert.is(e.message, ".natlintrc.json:3:5: rules.pat-drops-ipsec: must be one of off, info, warn, warning, error, 0, 1, 2");
  assert.is(e.line, 3);
  assert.is(e.keyPath, "rules.pat-drops-ipsec");
  assert.is(e.file, path.join(tmp, "bad1/.natlintrc.json"));
});

test("[severity, options] form errors", () => {
  write("bad2/.natlintrc.json", { rules: { a: ["fatal", {}], b: ["error", "x"], c: ["error", {}, 3], d: 2 } });
  const e = configError(() => loadConfig({ cwd: path.join(tmp, "bad2") }));
  const lines = plain(e.message).split("\n");
  assert.ok(lines.includes(".natlintrc.json: rules.a[0]: must be one of off, info, warn, warning, error, 0, 1, 2"), e.message);
  assert.ok(lines.includes(".natlintrc.json: rules.b[1]: must be object"), e.message);
  assert.ok(lines.some((l) => l.startsWith(".natlintrc.json: rules.c: must be [severity] or [severity, options]")), e.message);
  assert.not.ok(lines.some((l) => l.includes("rules.d")), "2 is ESLint's error");
  assert.is(e.keyPath, "rules.a[0]");
});

test("other schema errors: unknown key, types, overrides, vendor", () => {
  const cases: [object, string][] = [
    [{ clint: 3 }, ".natlintrc.json: clint: unknown key (known keys: $schema, extends, rules, clients, profile, vendor, peer, peers, inside, remoteNat, ignore, overrides, rulesDirs, limits)"],
    [{ profile: "iso" }, ".natlintrc.json: profile: must be one of ios, asa, asa-flat, asa-flat-include-reserve, asa-9.15, asa-block-allocation, linux, windows-rras, cgnat, unknown"],
    [{ clients: 0 }, ".natlintrc.json: clients: must be >= 1"],
    [{ clients: 2.5 }, ".natlintrc.json: clients: must be integer"],
    [{ vendor: "nxos" }, ".natlintrc.json: vendor: must be one of ios, asa"],
    [{ overrides: [{ rules: {} }] }, ".natlintrc.json: overrides[0].files: is required"],
    [{ overrides: [{ files: ["x"], rules: { r: "loud" } }] }, ".natlintrc.json: overrides[0].rules.r: must be one of off, info, warn, warning, error, 0, 1, 2"],
    [{ overrides: [{ files: ["x"], clients: 0 }] }, ".natlintrc.json: overrides[0].clients: must be >= 1"],
    [{ overrides: [{ files: "x" }] }, ".natlintrc.json: overrides[0].files: must be array"],
    [{ ignore: [1] }, ".natlintrc.json: ignore[0]: must be string"],
    [[], ".natlintrc.json: must be object"],
  ];
  cases.forEach(([cfg, msg], i) => {
    write(`bad3-${i}/.natlintrc.json`, cfg);
    const e = configError(() => loadConfig({ cwd: path.join(tmp, `bad3-${i}`) }));
    assert.is(plain(e.message.split("\n")[0]!), msg);
  });
});

test("invalid JSON names file, line and column", () => {
  write("bad4/.natlintrc.json", '{\n  "rules": {\n    "a": "error"\n    "b": "off"\n  }\n}\n');
  const e = configError(() => loadConfig({ cwd: path.join(tmp, "bad4") }));
  assert.match(e.message, /^\.natlintrc\.json:4:5: invalid JSON: comma expected/);
  assert.is(e.line, 4);
  assert.is(e.column, 5);
  // JSONC: comments and trailing commas are fine
  write("jsonc/.natlintrc.json", '// team config\n{\n  /* five */ "clients": 5,\n  "rules": { "a": "warn", },\n}\n');
  assert.is(loadConfig({ cwd: path.join(tmp, "jsonc") }).config.clients, 5);

  write("bad5/.natlintrc.json", '{ "clients": tru }');
  const e5 = configError(() => loadConfig({ cwd: path.join(tmp, "bad5") }));
  assert.match(e5.message, /^\.natlintrc\.json:1:14: invalid JSON: /);

  write("bad6/.natlintrc.json", "");
  const e6 = configError(() => loadConfig({ cwd: path.join(tmp, "bad6") }));
  assert.match(e6.message, /^\.natlintrc\.json:1:1: invalid JSON: /);

  write("bad7/.natlintrc.json", '\uFEFF{"clients": 2}');
  assert.is(loadConfig({ cwd: path.join(tmp, "bad7") }).config.clients, 2, "BOM is tolerated");
});

test("error for a config found above cwd shows a relative path", () => {
  write("bad8/.natlintrc.json", { vendor: 1 });
  fs.mkdirSync(path.join(tmp, "bad8/.git"));
  fs.mkdirSync(path.join(tmp, "bad8/x"), { recursive: true });
  const e = configError(() => loadConfig({ cwd: path.join(tmp, "bad8/x") }));
  assert.match(plain(e.message), path.join(tmp, "bad8/.natlintrc.json") + ": vendor: must be one of ios, asa");
});

test("resolveRuleSettings applies overrides in order", () => {
  const base = path.join(tmp, "proj");
  const cwd = path.join(tmp, "proj/sub");
  const plain = resolveRuleSettings(good, "../edge/r1.cfg", cwd, base);
  assert.equal(plain.get("pat-drops-ipsec"), { severity: "error" });
  assert.equal(plain.get("shadowed-ace"), { severity: "warning", options: { ignoreRemarks: true } });
  assert.equal(plain.get("noisy"), { severity: "off" });

  const lab = resolveRuleSettings(good, path.join(base, "lab/site1/r.cfg"), cwd, base);
  assert.equal(lab.get("pat-drops-ipsec"), { severity: "warning" });
  assert.equal(lab.get("shadowed-ace"), { severity: "warning", options: { ignoreRemarks: true } });

  const old = resolveRuleSettings(good, "../lab/old/r.cfg", cwd, base);
  assert.equal(old.get("pat-drops-ipsec"), { severity: "off" }, "later override wins");
  assert.equal(old.get("shadowed-ace"), { severity: "info", options: { ignoreRemarks: true } }, "severity-only keeps options");

  const legacy = resolveRuleSettings(good, "legacy.cfg", base, base);
  assert.equal(legacy.get("pat-drops-ipsec"), { severity: "off" });
  assert.equal(resolveRuleSettings({}, "a.cfg", tmp).size, 0);
});

test("isIgnored: directory patterns and basename patterns", () => {
  const base = path.join(tmp, "proj");
  assert.ok(isIgnored(good, "vendor/x/y.cfg", base, base));
  assert.ok(isIgnored(good, "site/old.bak", base, base));
  assert.not.ok(isIgnored(good, "site/r1.cfg", base, base));
  assert.not.ok(isIgnored(good, "vendors/r1.cfg", base, base));
  assert.not.ok(isIgnored({}, "a.cfg", base));
});

test("validateRuleReferences: unknown rule and bad options with key paths", () => {
  const loaded = { config: good, file: path.join(tmp, "proj/.natlintrc.json") };
  const known = new Set(["pat-drops-ipsec", "shadowed-ace", "noisy"]);
  validateRuleReferences(loaded, known, () => undefined, tmp);
  const e1 = configError(() => validateRuleReferences(loaded, new Set(["pat-drops-ipsec"]), undefined, path.join(tmp, "proj")));
  assert.is(e1.message, ".natlintrc.json: rules.shadowed-ace: unknown rule");
  const e2 = configError(() =>
    validateRuleReferences(loaded, known, (id, o) => (id === "shadowed-ace" && "ignoreRemarks" in o ? "ignoreRemarks: unknown option" : undefined), path.join(tmp, "proj")),
  );
  assert.is(e2.message, ".natlintrc.json: rules.shadowed-ace[1]: ignoreRemarks: unknown option");
  assert.equal(
    listRuleSettings(good).map((s) => s.keyPath),
    ["rules.pat-drops-ipsec", "rules.shadowed-ace", "rules.noisy", "overrides[0].rules.pat-drops-ipsec", "overrides[1].rules.pat-drops-ipsec", "overrides[1].rules.shadowed-ace"],
  );
});

test.after(() => fs.rmSync(tmp, { recursive: true, force: true }));

test.run();
