import type { Principal } from "../events/index.js";
import type { ActionSpec } from "./action-match.js";
import type { ConditionBlock } from "./policy-schema.js";

/** One principal named by a statement, as written and normalized. `type` is the Principal map's key. */
export interface PrincipalEntry {
  type: "*" | "AWS" | "Service" | "Federated" | "CanonicalUser";
  raw: string;
  principal: Principal;
}

export interface PrincipalSpec {
  kind: "Principal" | "NotPrincipal";
  entries: PrincipalEntry[];
}

export interface ResourceSpec {
  kind: "Resource" | "NotResource";
  patterns: string[];
}

/** Condition values as IAM compares them: operator -> key -> strings (booleans and numbers stringified). */
export type NormalizedConditions = Record<string, Record<string, string[]>>;

export interface ParsedStatement {
  /** Position in the Statement list (0-based), so statements without Sid can still be named. */
  index: number;
  sid: string | null;
  effect: "Allow" | "Deny";
  principals: PrincipalSpec;
  actions: ActionSpec;
  /** null when the statement has neither Resource nor NotResource (KMS reads that as this key). */
  resources: ResourceSpec | null;
  /** The Condition element exactly as written (reported whole), or null. */
  condition: ConditionBlock | null;
  conditions: NormalizedConditions;
  /** The statement's original JSON. */
  raw: unknown;
}

export interface ParsedPolicy {
  kind: "policy";
  version: string | null;
  id: string | null;
  statements: ParsedStatement[];
}

export interface PolicyParseProblem {
  kind: "problem";
  reason: string;
  /** Each schema failure, with its path in the document (`Statement.1.Effect`). */
  details: { path: string; message: string }[];
}
