/**
 * The one ajv instance (config files, rule files, check options, baselines, path files) and the
 * one way its errors are worded: `key.path: problem`, with key paths written as in the JSON
 * (`rules.pat-drops-ipsec`, `overrides[0].files`).
 */
import { createRequire } from "node:module";
import type AjvModule from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";

// ajv is CommonJS, loaded on first use (commands that validate nothing, such as `simulate`, never
// load it); its module object's .default is the class.
type AjvClass = typeof AjvModule.default;
let ajv: InstanceType<AjvClass> | undefined;
function instance(): InstanceType<AjvClass> {
  if (!ajv) {
    const mod = createRequire(import.meta.url)("ajv") as { default?: AjvClass } & AjvClass;
    const Ajv: AjvClass = mod.default ?? mod;
    // [severity] and [severity, options] share one tuple schema in the config schema: strictTuples off.
    ajv = new Ajv({ allErrors: true, strict: true, strictTuples: false });
  }
  return ajv;
}
const cache = new WeakMap<object, ValidateFunction>();

/** The compiled validator of a schema object (compiled once per object). */
export function compileSchema(schema: object): ValidateFunction {
  let v = cache.get(schema);
  if (!v) {
    v = instance().compile(schema);
    cache.set(schema, v);
  }
  return v;
}

export interface SchemaProblem {
  /** Key path of the offending value (`""` for the root). */
  path: string;
  problem: string;
  /** The same path as segments (array indices as numbers), to locate it in the source text. */
  segments: (string | number)[];
}

/** JSON pointer segments → `a.b[0].c` (keys that are not identifier-like are quoted). */
export function keyPath(segments: readonly (string | number)[]): string {
  let out = "";
  for (const s of segments) {
    if (typeof s === "number" || /^\d+$/.test(s)) out += `[${s}]`;
    else if (/^[A-Za-z_$][\w$-]*$/.test(s)) out += out ? `.${s}` : s;
    else out += `[${JSON.stringify(s)}]`;
  }
  return out;
}

function pointerSegments(pointer: string): string[] {
  if (!pointer) return [];
  return pointer
    .slice(1)
    .split("/")
    .map((s) => s.replace(/~1/g, "/").replace(/~0/g, "~"));
}

/** How a caller words problems its schema's shape makes clearer than the defaults. */
export interface ProblemHints {
  /** The keys allowed where an unknown key was found (e.g. at the root of the config file). */
  knownKeys?(segs: readonly string[]): string[] | undefined;
  /** A problem text for this error, or undefined for the default wording. */
  describe?(e: ErrorObject, segs: readonly string[]): string | undefined;
}

function describeError(e: ErrorObject, hints: ProblemHints): { path: string[]; problem: string } {
  const segs = pointerSegments(e.instancePath);
  const p = e.params as Record<string, unknown>;
  const custom = hints.describe?.(e, segs);
  if (custom !== undefined) return { path: segs, problem: custom };
  switch (e.keyword) {
    case "enum":
      return { path: segs, problem: `must be one of ${(p.allowedValues as unknown[]).map(String).join(", ")}` };
    case "const":
      return { path: segs, problem: `must be ${JSON.stringify(p.allowedValue)}` };
    case "additionalProperties": {
      const key = String(p.additionalProperty);
      const known = hints.knownKeys?.(segs);
      return { path: [...segs, key], problem: `unknown key${known ? ` (known keys: ${known.join(", ")})` : ""}` };
    }
    case "required":
      return { path: [...segs, String(p.missingProperty)], problem: "is required" };
    case "propertyNames":
      return { path: segs, problem: `invalid key ${JSON.stringify(p.propertyName)}` };
    case "type":
      return { path: segs, problem: `must be ${Array.isArray(p.type) ? p.type.join(" or ") : String(p.type)}` };
    case "additionalItems":
    case "maxItems":
      return { path: segs, problem: `must have at most ${String(p.limit)} item${p.limit === 1 ? "" : "s"}` };
    case "minItems":
      return { path: segs, problem: `must have at least ${String(p.limit)} item${p.limit === 1 ? "" : "s"}` };
    case "minimum":
    case "maximum":
      return { path: segs, problem: `must be ${e.keyword === "minimum" ? ">=" : "<="} ${String(p.limit)}` };
    default:
      return { path: segs, problem: e.message ?? e.keyword };
  }
}

/** Every distinct problem of a failed validation, in ajv's order. */
export function schemaProblems(errors: readonly ErrorObject[] | null | undefined, hints: ProblemHints = {}): SchemaProblem[] {
  // `if` only reports "must match then/else"; a type error next to an enum error at the same
  // place is redundant; propertyNames also yields a `pattern` error on the key.
  const relevant = (errors ?? []).filter((e) => e.keyword !== "if" && !(e.keyword === "pattern" && e.propertyName !== undefined));
  const enumAt = new Set(relevant.filter((e) => e.keyword === "enum").map((e) => e.instancePath));
  const out: SchemaProblem[] = [];
  const seen = new Set<string>();
  for (const e of relevant) {
    if (e.keyword === "type" && enumAt.has(e.instancePath)) continue;
    const d = describeError(e, hints);
    const k = keyPath(d.path);
    const line = `${k}\0${d.problem}`;
    if (seen.has(line)) continue;
    seen.add(line);
    out.push({ path: k, problem: d.problem, segments: d.path.map((x) => (/^\d+$/.test(x) ? Number(x) : x)) });
  }
  return out;
}

/** The first problem as one line: `path: problem` (or the problem alone at the root). */
export function describeAjvErrors(errors: readonly ErrorObject[] | null | undefined): string {
  const p = schemaProblems(errors)[0];
  if (!p) return "invalid";
  return p.path ? `${p.path}: ${p.problem}` : p.problem;
}
