/** One ajv instance for rule files, check options and config files. */
import AjvModule from "ajv";
import type { ErrorObject, ValidateFunction } from "ajv";

// ajv is CommonJS; under NodeNext the default import is the module object, whose .default is the class.
const Ajv = AjvModule.default;
const ajv = new Ajv({ allErrors: true, strict: false });
const cache = new WeakMap<object, ValidateFunction>();

export function compileSchema(schema: object): ValidateFunction {
  const hit = cache.get(schema);
  if (hit) return hit;
  const v = ajv.compile(schema);
  cache.set(schema, v);
  return v;
}

/** `rules.x.severity: must be equal to one of the allowed values (error, warning, info)` */
export function describeAjvErrors(errors: ErrorObject[] | null | undefined): string {
  if (!errors || errors.length === 0) return "invalid";
  const e = errors[0]!;
  const path = e.instancePath ? e.instancePath.slice(1).replace(/\//g, ".") : "(root)";
  let msg = e.message ?? "invalid";
  if (e.keyword === "enum") msg += ` (${(e.params as { allowedValues: unknown[] }).allowedValues.join(", ")})`;
  if (e.keyword === "additionalProperties") msg += ` "${(e.params as { additionalProperty: string }).additionalProperty}"`;
  return `${path}: ${msg}`;
}
