/**
 * Adversarial lines against every parser entry point (issue #11): no parser or matcher may be
 * super-linear on any input. Each entry point gets each pattern at SIZE characters, and its time is
 * compared with the same entry point on an ordinary input of the same size, in the same run, with a
 * large factor: a quadratic scan (the old vendor detection took 12-24 s for 40,000 blank lines)
 * overshoots that by orders of magnitude, machine load does not.
 *
 * SIZE is 1 MiB with NATLINT_SLOW_TESTS=1 (CI, .ci/run) and 32 KiB in the default `npm test`
 * (already 2^29 steps for a quadratic scan, so it still fails there; linear, the file takes about
 * a second). The file sniffer reads 16 KiB of a file only, so its quadratic patterns (`^\s+` with
 * the m flag, now `^[ \t]+`) showed at every size: 2.3 s on 16 KiB of blank lines.
 */
import { test } from "uvu";
import * as assert from "uvu/assert";
import { detectVendor, looksLike } from "../src/parse/detect.js";
import { parseConfig } from "../src/parse/index.js";
import { decodeConfig, looksBinary } from "../src/io/decode.js";
import { looksLikeConfigText } from "../src/io/sniff.js";
import { parseDirectives } from "../src/parse/common/directives.js";
import { parseFlow, parseSpaceSpec } from "../src/model/packet.js";
import { parseHeaderSpace } from "../src/headerspace/parse.js";
import { HeaderSpace } from "../src/headerspace/index.js";
import { parseBaseline } from "../src/engine/baseline.js";
import { parseJsoncText } from "../src/core/json.js";
import { parseCidr, parseIp } from "../src/model/addr.js";
import { parsePortList } from "../src/model/ports.js";

const SIZE = process.env.NATLINT_SLOW_TESTS === "1" ? 1 << 20 : 1 << 15;

/** `unit` repeated to `SIZE` characters. */
const fill = (unit: string, prefix = "", suffix = ""): string => prefix + unit.repeat(Math.ceil((SIZE - prefix.length) / unit.length)).slice(0, SIZE - prefix.length) + suffix;

/** The adversarial patterns: runs of separators, one endless line, token floods, unclosed blocks. */
const PATTERNS: Record<string, string> = {
  "\\n": fill("\n"),
  "\\r\\n": fill("\r\n"),
  "\\r": fill("\r"),
  blanks: fill(" "),
  tabs: fill("\t"),
  "blank lines after a command": fill("\n", "hostname r1\n", "interface Gi0/1\n"),
  "indented blank lines": fill(" \n"),
  "one long word": fill("x"),
  "one long line of tokens": fill("a ", "access-list 101 permit ip "),
  "U+00A0": fill("\u00a0"),
  "U+2000 in words": fill("a\u2000"),
  "zero-width": fill("\u200b"),
  NUL: fill("\0"),
  "ESC/BEL": fill("\u001b]0;\u0007"),
  digits: fill("1"),
  dots: fill("1."),
  "address-like": fill("255.255.255.255 "),
  "unclosed banner": fill("x\n", "hostname r1\nbanner motd ^C\n"),
  "unclosed certificate": fill("00AA \n", "crypto pki certificate chain TP\n certificate 01\n"),
  "object-group floods": fill(" group-object G\n", "object-group network G\n"),
  "ACL line floods": fill("access-list 1 permit any\n"),
  "natlint directives": fill("! natlint-disable-next-line a,b,c\n"),
  "nested parens": fill("("),
  quotes: fill('"'),
  "braces and brackets": fill("[{"),
  "backslashes": fill("\\"),
  "dashes and ranges": fill("1-"),
  "commas": fill(","),
  "slashes": fill("/"),
  "exclamation marks": fill("!"),
};

/** An ordinary input of the same size: a real-looking config's lines repeated. */
const ORDINARY = fill("interface Gi0/1\n ip address 10.0.0.1 255.255.255.0\nip access-list extended A\n permit tcp any host 10.0.0.2 eq 443\n");

interface Entry {
  name: string;
  run(text: string): unknown;
}

const hs = new HeaderSpace();
const ENTRIES: Entry[] = [
  { name: "detectVendor", run: (t) => detectVendor(t) },
  { name: "looksLike", run: (t) => looksLike(t) },
  { name: "parseConfig (detected)", run: (t) => parseConfig(t, "a.cfg") },
  // "detected" runs the IOS parser on most patterns; the IOS parser forced as well in the slow run
  ...(process.env.NATLINT_SLOW_TESTS === "1" ? [{ name: "parseConfig (ios)", run: (t: string) => parseConfig(t, "a.cfg", "ios") }] : []),
  { name: "parseConfig (asa)", run: (t) => parseConfig(t, "a.cfg", "asa") },
  { name: "decodeConfig", run: (t) => decodeConfig(new TextEncoder().encode(t)) },
  { name: "looksBinary", run: (t) => looksBinary(t) },
  { name: "looksLikeConfigText", run: (t) => looksLikeConfigText(t) },
  { name: "parseDirectives", run: (t) => parseDirectives(t) },
  { name: "parseFlow", run: (t) => parseFlow(t) },
  { name: "parseSpaceSpec", run: (t) => parseSpaceSpec(t) },
  { name: "parseHeaderSpace", run: (t) => parseHeaderSpace(t, hs) },
  { name: "parseIp / parseCidr / parsePortList", run: (t) => [parseIp(t), parseCidr(t), parsePortList(t)] },
  { name: "parseBaseline", run: (t) => attempt(() => parseBaseline(t, "b.json")) },
  { name: "parseJsoncText", run: (t) => attempt(() => parseJsoncText(t, "/c/.natlintrc.json", ".natlintrc.json")) },
];

/** Bad input may be refused, with a NatlintError (a one-line message), never anything else. */
function attempt(f: () => unknown): unknown {
  try {
    return f();
  } catch (e) {
    if (!(e instanceof Error) || e.constructor.name === "TypeError" || e.constructor.name === "RangeError") throw e;
    return e.message;
  }
}

function ms(f: () => unknown): number {
  const t = performance.now();
  f();
  return performance.now() - t;
}

for (const entry of ENTRIES)
  test(`${entry.name}: linear on every adversarial pattern of ${SIZE >> 10} KiB`, () => {
    entry.run(ORDINARY); // warm up
    const base = Math.min(ms(() => entry.run(ORDINARY)), ms(() => entry.run(ORDINARY)));
    // generous: 50 times the ordinary input and never less than 400 ms (a loaded 2-core machine),
    // scaled with SIZE; a quadratic scan of 2^15 characters takes far longer than that
    const bound = Math.max(400, 50 * base) * (SIZE >> 15);
    for (const [name, text] of Object.entries(PATTERNS)) {
      const t = ms(() => entry.run(text));
      assert.ok(t < bound, `${entry.name} took ${Math.round(t)} ms on ${name} (ordinary input of the same size: ${base.toFixed(1)} ms, bound ${Math.round(bound)} ms)`);
    }
  });

test.run();
