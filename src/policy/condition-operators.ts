import { ipInCidr } from "./ip-address.js";
import { matchesWildcard } from "./wildcard.js";

/** Three-valued: the condition holds, does not hold, or cannot be decided from what is known. */
export type Tri = true | false | "unknown";

/**
 * How one base operator compares a policy value with a request value. Negated operators (`StringNotEquals`)
 * reuse their positive twin and flip the result per request value, which is how IAM defines them.
 */
interface OperatorRow {
  compare: (policyValue: string, requestValue: string) => boolean;
  negated: boolean;
}

const stringEquals = (p: string, r: string): boolean => p === r;
const stringEqualsIgnoreCase = (p: string, r: string): boolean => p.toLowerCase() === r.toLowerCase();
const stringLike = (p: string, r: string): boolean => matchesWildcard(p, r, false);
const bool = (p: string, r: string): boolean => p.toLowerCase() === r.toLowerCase();

/** ARNs compare component by component (six colon-separated parts), each with IAM wildcards, case-sensitive. */
function arnLike(policyValue: string, requestValue: string): boolean {
  const split = (arn: string): string[] | null => {
    const parts = arn.split(":");
    return parts.length < 6 ? null : [...parts.slice(0, 5), parts.slice(5).join(":")];
  };
  const policy = split(policyValue);
  const request = split(requestValue);
  if (!policy || !request) return false;
  return policy.every((part, i) => matchesWildcard(part, request[i] ?? "", false));
}

export const CONDITION_OPERATORS: Record<string, OperatorRow> = {
  StringEquals: { compare: stringEquals, negated: false },
  StringNotEquals: { compare: stringEquals, negated: true },
  StringEqualsIgnoreCase: { compare: stringEqualsIgnoreCase, negated: false },
  StringNotEqualsIgnoreCase: { compare: stringEqualsIgnoreCase, negated: true },
  StringLike: { compare: stringLike, negated: false },
  StringNotLike: { compare: stringLike, negated: true },
  // IAM documents ArnEquals and ArnLike as the same component-wise wildcard match.
  ArnEquals: { compare: arnLike, negated: false },
  ArnLike: { compare: arnLike, negated: false },
  ArnNotEquals: { compare: arnLike, negated: true },
  ArnNotLike: { compare: arnLike, negated: true },
  Bool: { compare: bool, negated: false },
  // aws:SourceIp against a CIDR (or a bare address), IPv4 and IPv6.
  IpAddress: { compare: ipInCidr, negated: false },
  NotIpAddress: { compare: ipInCidr, negated: true },
};

const BY_LOWER = new Map(Object.entries(CONDITION_OPERATORS).map(([name, row]) => [name.toLowerCase(), row]));

export type SetQualifier = "ForAnyValue" | "ForAllValues" | null;

export interface ParsedOperator {
  qualifier: SetQualifier;
  /** The base name without qualifier or IfExists, e.g. "StringLike". */
  base: string;
  ifExists: boolean;
}

export function parseOperator(operator: string): ParsedOperator {
  const match = /^(?:(ForAnyValue|ForAllValues):)?(.*?)(IfExists)?$/i.exec(operator.trim());
  const qualifierText = match?.[1]?.toLowerCase();
  return {
    qualifier:
      qualifierText === "foranyvalue"
        ? "ForAnyValue"
        : qualifierText === "forallvalues"
          ? "ForAllValues"
          : null,
    base: match?.[2] ?? operator,
    ifExists: match?.[3] !== undefined,
  };
}

export function operatorRow(base: string): OperatorRow | null {
  return BY_LOWER.get(base.toLowerCase()) ?? null;
}
