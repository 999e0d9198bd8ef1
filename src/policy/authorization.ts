import type { GrantConstraints, PrincipalKind } from "../events/index.js";
import type { Tri } from "./condition-operators.js";
import type { Undecided } from "./evaluate-conditions.js";
import type { ConditionBlock } from "./policy-schema.js";

/**
 * One reason a principal may use a key, shaped as the `via` objects of `who-can --format json` (DESIGN §8).
 * The caller adds `eventIds` (the policy version's or grant's provenance). Every field is JSON.
 */
export interface Via {
  type: "keyPolicy" | "grant" | "iamDelegation" | "escalation";
  sid?: string;
  /** The statement's 0-based position in the policy, since Sid is optional. */
  statement?: number;
  grantId?: string;
  /** The delegating account, for `iamDelegation` (and escalation through it). */
  account?: string;
  /** The statement's Condition element, whole and as written. */
  conditions?: ConditionBlock;
  /** true when the conditions were evaluated and hold; "unknown" when some could not be decided. */
  conditionResult?: Exclude<Tri, false>;
  /** The condition entries that could not be decided, and why. */
  undecided?: Undecided[];
  constraints?: GrantConstraints;
  /** For a grant whose CreateGrant record did not log its operations: it may or may not include this one. */
  operationsUnknown?: true;
  /** For an Allow with NotPrincipal: everyone except these. */
  except?: string[];
  /** For `escalation`: the action that lets the principal give itself the operation. */
  action?: EscalationAction;
  /**
   * For an `escalation` through a grant's CreateGrant: the operations it can give (the grant's own); through
   * ReplicateKey: the cryptographic operations, which a replica with the same key material performs on this
   * key's ciphertexts. Absent when any operation (PutKeyPolicy, CreateGrant by policy) or when the grant's
   * operations were not logged.
   */
  reaches?: string[];
  /**
   * KMS does not allow this action across accounts (docs/authorization.md, "Cross-account use"): the route serves
   * principals of this account, the key's, only. Set on a route to `*` (Principal `*`, NotPrincipal), which it
   * narrows, and on a route to a principal whose account is not known (an unresolved unique id, a principal of
   * unknown kind), which holds only if the principal is of this account. Such a route is conditional.
   */
  onlyAccount?: string;
  /**
   * Set by reach when the route serves only part of the principal asked about: why, naming the session (a
   * grant or statement naming one assumed-role session of the role asked). Such a route is conditional.
   */
  partial?: string;
}

/**
 * The actions that let a principal give itself operations it does not hold: rewrite the key policy, create a
 * grant, or (multi-Region primary keys) replicate the key into a Region under a key policy of its choosing.
 */
export type EscalationAction = "PutKeyPolicy" | "CreateGrant" | "ReplicateKey";

/** A Deny that may apply to a principal but does not remove it: conditional, or covering only part of it. */
export interface DenyNote {
  sid?: string;
  statement: number;
  conditions?: ConditionBlock;
  conditionResult: Exclude<Tri, false>;
  undecided?: Undecided[];
  /** Why the Deny is reported rather than applied, in words. */
  reason: string;
}

export interface PrincipalAuthorization {
  /** Normalized ARN, account id (for iamDelegation), service name, or "*". */
  principal: string;
  kind: PrincipalKind;
  operations: string[];
  via: Via[];
  /** True unless at least one route holds without conditions and no Deny may still apply. */
  conditional: boolean;
  denies: DenyNote[];
}

/** A principal an unconditional Deny took away, kept so that answers can say so. */
export interface RemovedPrincipal {
  principal: string;
  kind: PrincipalKind;
  sid?: string;
  statement: number;
}
