/** Registry of the built-in checks (code). Rules (rules/*.json) refer to these ids. */
import type { Check } from "./define.js";
import { check as patDropsIpsec } from "./pat-drops-ipsec.js";
import { check as sourcePortPinned } from "./ipsec-source-port-pinned.js";
import { check as natTMissing } from "./ipsec-nat-t-missing.js";
import { check as undefinedReference } from "./undefined-reference.js";
import { check as unusedDefinition } from "./unused-definition.js";
import { check as unrecognizedSyntax } from "./unrecognized-syntax.js";
import { check as aclMustPermit } from "./acl-must-permit.js";
import { check as aclMustDeny } from "./acl-must-deny.js";
import { check as noAnyAnyPermit } from "./no-any-any-permit.js";
import { check as shadowedLine } from "./shadowed-line.js";
import { check as redundantLine } from "./redundant-line.js";
import { check as aclToDeviceAddress } from "./acl-to-device-address.js";
import { check as unmodelledFeature } from "./unmodelled-feature.js";
import { check as configNote } from "./config-note.js";
import { check as unsupportedInput } from "./unsupported-input.js";
import { check as l2tpUnprotected } from "./l2tp-unprotected.js";
import { check as l2tpNatTMissing } from "./l2tp-nat-t-missing.js";
import { check as ipsecNatHelper } from "./ipsec-nat-helper.js";
import { check as ipv6NdBlocked } from "./ipv6-nd-blocked.js";

const all: Check[] = [patDropsIpsec, sourcePortPinned, natTMissing, undefinedReference, unusedDefinition, unrecognizedSyntax, aclMustPermit, aclMustDeny, noAnyAnyPermit, shadowedLine, redundantLine, aclToDeviceAddress, unmodelledFeature, configNote, unsupportedInput, l2tpUnprotected, l2tpNatTMissing, ipsecNatHelper, ipv6NdBlocked];

export const CHECKS: ReadonlyMap<string, Check> = new Map(all.map((c) => [c.id, c]));

export type { Check, CheckContext, SimulationSettings } from "./define.js";
