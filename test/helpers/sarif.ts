/** Validators for SARIF output: the SARIF 2.1.0 schema and GitHub code scanning's requirements. */
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import AjvModule from "ajv";

const Ajv = AjvModule.default;
const fixtures = path.join(path.dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "sarif");

type Validator = ReturnType<InstanceType<typeof Ajv>["compile"]>;
let sarifMemo: Validator | undefined;
let githubMemo: Validator | undefined;

/** The SARIF 2.1.0 schema's validator, compiled once per process (the schema is large: ~0.3 s a compile). */
export function sarifValidator(): Validator {
  return (sarifMemo ??= compileSarif());
}

function compileSarif(): Validator {
  const schema = JSON.parse(fs.readFileSync(path.join(fixtures, "sarif-2.1.0-rtm.5.json"), "utf8")) as Record<string, unknown>;
  // draft-04 → draft-07 (the schema uses no keyword whose meaning differs; see fixtures/sarif/README.md)
  schema.$schema = "http://json-schema.org/draft-07/schema#";
  schema.$id = schema.id;
  delete schema.id;
  // rtm.5's `language` pattern has a stray `]` that is invalid as a unicode RegExp; the OASIS
  // final schema (errata01) reads `^[a-zA-Z]{2}(-[a-zA-Z]{2})?$`. Use that.
  const fixPatterns = (o: unknown): void => {
    if (!o || typeof o !== "object") return;
    for (const [k, v] of Object.entries(o)) {
      if (k === "pattern" && v === "^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$") {
        (o as Record<string, unknown>)[k] = "^[a-zA-Z]{2}(-[a-zA-Z]{2})?$";
      } else fixPatterns(v);
    }
  };
  fixPatterns(schema);
  const ajv = new Ajv({
    allErrors: true,
    strict: false,
    formats: {
      uri: (s: string) => /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/.test(s),
      "uri-reference": (s: string) => /^(?:[A-Za-z0-9\-._~:/?#[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*$/.test(s),
      "date-time": (s: string) => !Number.isNaN(Date.parse(s)) && /^\d{4}-\d\d-\d\dT/.test(s),
    },
  });
  return ajv.compile(schema);
}

export function githubValidator(): Validator {
  const schema = (): object => JSON.parse(fs.readFileSync(path.join(fixtures, "github-code-scanning.schema.json"), "utf8")) as object;
  return (githubMemo ??= new Ajv({ allErrors: true, strict: false }).compile(schema()));
}

