/**
 * natlint as a library (an ES module): `import { lint, explain, simulate, flow, diff, search } from "natlint"`.
 * See src/api/index.ts.
 */
export * from "./api/index.js";
export { parseConfig } from "./parse/index.js";
export { HeaderSpace } from "./headerspace/index.js";
export { parseHeaderSpace } from "./headerspace/parse.js";
export { AclSets } from "./acl/sets.js";
export { evaluateAcl, type Verdict } from "./acl/evaluate.js";
export { diffAcls } from "./analysis/diff.js";
export { searchAcl } from "./analysis/search.js";
export { PROFILES, getProfile, type PatProfile } from "./nat/profiles.js";
export { REMOTE_PROFILES, findProfile, cgnatProfile } from "./nat/profiles-remote.js";
export { parseObserved } from "./parse/observed.js";
export { formatSarif, sarifChunks, sarifParts } from "./report/sarif.js";
export { formatGithub, githubChunks } from "./report/github.js";
export { formatJunit, junitChunks } from "./report/junit.js";
export { formatMarkdown } from "./report/markdown.js";
export { formatJson, jsonChunks, jsonParts, jsonPieces } from "./report/json.js";
export { formatStylish, stylishChunks } from "./report/stylish.js";
export { formatExplainMarkdown } from "./report/explain-markdown.js";
export { formatPathTable } from "./report/path-table.js";
export { formatPathMarkdown } from "./report/path-markdown.js";
