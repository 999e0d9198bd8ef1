import type { KeyRecord, PolicyVersion } from "../model/index.js";
import { intervalAt } from "../model/index.js";
import { type ParsedPolicy, type PolicyParseProblem, parsePolicy } from "../policy/index.js";

/** The key policy in force at an instant: its version (null when unknown) and the parsed document. */
export interface PolicyAt {
  version: PolicyVersion | null;
  /** null when the version is unknown or does not parse */
  policy: ParsedPolicy | null;
  problem: PolicyParseProblem | null;
}

// Parsed once per version: a question walks many instants and operations over the same few documents.
const parsed = new WeakMap<PolicyVersion, ParsedPolicy | PolicyParseProblem>();

function parseOnce(version: PolicyVersion): ParsedPolicy | PolicyParseProblem {
  const cached = parsed.get(version);
  if (cached) return cached;
  const result = parsePolicy(version.document);
  parsed.set(version, result);
  return result;
}

export function policyAt(key: KeyRecord, t: number): PolicyAt {
  return policyOf(intervalAt(key.policies, t) ?? null);
}

/** One version, parsed (once). */
export function policyOf(version: PolicyVersion | null): PolicyAt {
  if (!version) return { version: null, policy: null, problem: null };
  const result = parseOnce(version);
  return result.kind === "policy"
    ? { version, policy: result, problem: null }
    : { version, policy: null, problem: result };
}
