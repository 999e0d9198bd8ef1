import type { GrantConstraints, Principal } from "../events/index.js";
import type { Via } from "./authorization.js";
import type { Tri } from "./condition-operators.js";
import { type ReEncryptSide, resolveAction } from "./kms-actions.js";

/** A grant as replay keeps it (DESIGN §4); principals are already normalized. */
export interface GrantInput {
  grantId: string;
  grantee: Principal | null;
  retiringPrincipal: Principal | null;
  operations: readonly string[];
  /**
   * false when the CreateGrant record did not log the operations (old records): the grant may allow any grant
   * operation, so it is a conditional route for each. Absent means known.
   */
  operationsKnown?: boolean;
  constraints: GrantConstraints | null;
}

export interface GrantCheckOptions {
  /** The request's encryption context; null or {} for none; undefined when not known. */
  encryptionContext?: Record<string, string> | null;
  /** For ReEncrypt: the source key's grant needs ReEncryptFrom, the destination key's ReEncryptTo. */
  side?: ReEncryptSide;
}

export interface GrantDecision {
  /** true: the grant allows it; false: it does not; "unknown": it does if the encryption context fits. */
  allowed: Tri;
  action: string;
  via: Via;
  reason: string;
}

/**
 * The operations whose requests carry an encryption context. KMS applies grant constraints only to these;
 * everything else (Sign, DescribeKey, RetireGrant, CreateGrant …) ignores them.
 */
const CONTEXT_OPERATIONS = new Set(
  [
    "Encrypt",
    "Decrypt",
    "ReEncryptFrom",
    "ReEncryptTo",
    "GenerateDataKey",
    "GenerateDataKeyWithoutPlaintext",
    "GenerateDataKeyPair",
    "GenerateDataKeyPairWithoutPlaintext",
  ].map((name) => name.toLowerCase()),
);

/**
 * Per the KMS API reference (GrantConstraints), constraint keys are not case-sensitive and values are;
 * the request's own context is matched under the same rule.
 */
function lowerKeys(context: Record<string, string>): Map<string, string> {
  return new Map(Object.entries(context).map(([key, value]) => [key.toLowerCase(), value]));
}

function containsAll(request: Map<string, string>, required: Record<string, string>): boolean {
  return Object.entries(required).every(([key, value]) => request.get(key.toLowerCase()) === value);
}

/** Whether an encryption context satisfies a grant's constraints (both, when a grant carries both). */
export function constraintsHold(
  constraints: GrantConstraints,
  encryptionContext: Record<string, string> | null,
): boolean {
  const request = lowerKeys(encryptionContext ?? {});
  const { encryptionContextSubset: subset, encryptionContextEquals: equals } = constraints;
  if (subset && !containsAll(request, subset)) return false;
  if (equals && (!containsAll(request, equals) || request.size !== lowerKeys(equals).size)) return false;
  return true;
}

/** The operations a grant can allow (KMS CreateGrant `Operations`); nothing else is ever granted. */
const GRANT_OPERATIONS = new Set(
  [
    ...CONTEXT_OPERATIONS,
    "Sign",
    "Verify",
    "GetPublicKey",
    "CreateGrant",
    "RetireGrant",
    "DescribeKey",
    "GenerateMac",
    "VerifyMac",
    "DeriveSharedSecret",
  ].map((name) => name.toLowerCase()),
);

const includesAction = (grant: GrantInput, action: string): boolean =>
  grant.operations.some((operation) => operation.toLowerCase() === action.toLowerCase());

/** The record does not say which operations the grant has, and this one is among those a grant can have. */
const mayInclude = (grant: GrantInput, action: string): boolean =>
  grant.operationsKnown === false && GRANT_OPERATIONS.has(action.toLowerCase());

export function includesCreateGrant(grant: GrantInput): boolean {
  return includesAction(grant, "CreateGrant");
}

/** Whether a grant lets its grantee perform an operation, with its constraints checked when the context is known. */
export function grantAllows(
  grant: GrantInput,
  operation: string,
  options: GrantCheckOptions = {},
): GrantDecision {
  const { action } = resolveAction(operation, options.side);
  const via: Via = { type: "grant", grantId: grant.grantId };
  if (grant.constraints) via.constraints = grant.constraints;
  if (mayInclude(grant, action)) {
    via.operationsUnknown = true;
    return {
      allowed: "unknown",
      action,
      via,
      reason: `the CreateGrant record does not log the grant's operations: it may include ${action}`,
    };
  }
  if (!includesAction(grant, action)) {
    return { allowed: false, action, via, reason: `the grant does not include ${action}` };
  }
  const constrained =
    grant.constraints !== null &&
    (grant.constraints.encryptionContextEquals !== null ||
      grant.constraints.encryptionContextSubset !== null) &&
    CONTEXT_OPERATIONS.has(action.toLowerCase());
  if (!constrained || !grant.constraints)
    return { allowed: true, action, via, reason: `the grant includes ${action}` };
  if (options.encryptionContext === undefined) {
    return {
      allowed: "unknown",
      action,
      via,
      reason: "the grant has constraints and the encryption context is not known",
    };
  }
  return constraintsHold(grant.constraints, options.encryptionContext)
    ? { allowed: true, action, via, reason: "the encryption context satisfies the grant constraints" }
    : {
        allowed: false,
        action,
        via,
        reason: "the encryption context does not satisfy the grant constraints",
      };
}
