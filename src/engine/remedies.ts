/** The remedy a check proposed with each finding (kept beside the finding; ./fix.ts proves it). */
import type { Finding } from "../core/finding.js";
import type { NoRemedy, Remedy } from "../model/edits.js";

export const REMEDIES = new WeakMap<Finding, Remedy | NoRemedy>();
