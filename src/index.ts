/**
 * natlint as a library: `import { lint, explain, simulate, flow } from "natlint"`.
 * The CLI (src/cli) is a thin layer over these functions.
 */
export {
  lint,
  explain,
  simulate,
  flow,
  parseFlow,
  loadDevice,
  resolveRules,
  summarize,
  InputError,
  ConfigError,
  ConfigurationError,
  type LintOptions,
  type SimulateOptions,
  type SimulateResult,
  type ExplainOptions,
  type ExplainResult,
  type FlowResult,
} from "./api.js";
export type { Finding, Severity } from "./checks/types.js";
export type { LintResult, RuleMeta, FileResult, Summary } from "./engine/types.js";
export type { Device, Acl, Ace, Packet, Vendor } from "./model/types.js";
export { parseConfig } from "./parse/index.js";
export { HeaderSpace } from "./headerspace/index.js";
export { parseHeaderSpace } from "./headerspace/parse.js";
export { diffAcls, searchAcl } from "./diff/index.js";
export { PROFILES, getProfile, type PatProfile } from "./nat/profiles.js";
export { formatSarif } from "./report/sarif.js";
export { formatGithub } from "./report/github.js";
export { formatJunit } from "./report/junit.js";
export { formatMarkdown } from "./report/markdown.js";
export { formatExplainMarkdown } from "./report/explain-markdown.js";
