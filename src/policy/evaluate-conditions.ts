import { arnPathVariants } from "./arn-path.js";
import { operatorRow, type ParsedOperator, parseOperator, type Tri } from "./condition-operators.js";
import type { NormalizedConditions } from "./parsed-policy.js";
import { lookupContextKey, type RequestContext } from "./request-context.js";

/** A condition entry that could not be decided, and why. */
export interface Undecided {
  operator: string;
  key: string;
  reason: string;
}

export interface ConditionOutcome {
  outcome: Tri;
  /** The entries that made the outcome "unknown" (empty when it is true or false). */
  undecided: Undecided[];
}

type EntryResult = { value: true | false } | { value: "unknown"; reason: string };

const decided = (value: boolean): EntryResult => ({ value });
const undecided = (reason: string): EntryResult => ({ value: "unknown", reason });

/** IAM's rule for a key the request does not carry. */
function whenAbsent(op: ParsedOperator, negated: boolean): boolean {
  if (op.ifExists || op.qualifier === "ForAllValues") return true;
  if (op.qualifier === "ForAnyValue") return false;
  return negated;
}

function evaluateNull(op: ParsedOperator, key: string, policyValues: string[], context?: RequestContext) {
  if (op.qualifier || op.ifExists) return undecided("Null takes no set qualifier or IfExists");
  const found = lookupContextKey(context, key);
  if (found.state === "unknown") return undecided(`${key} is not in the context`);
  const present = found.state === "present" && found.values.length > 0;
  return decided(policyValues.some((value) => (value.toLowerCase() === "true" ? !present : present)));
}

/** One `operator: {key: values}` entry: values are OR-ed; negated operators require no value to match. */
export function evaluateConditionEntry(
  operator: string,
  key: string,
  policyValues: string[],
  context?: RequestContext,
): EntryResult {
  const op = parseOperator(operator);
  if (op.base.toLowerCase() === "null") return evaluateNull(op, key, policyValues, context);
  const row = operatorRow(op.base);
  if (!row) return undecided(`operator ${op.base} is not evaluated by keytrail`);
  if (policyValues.some((value) => value.includes("${")))
    return undecided("policy variables are not evaluated");
  const found = lookupContextKey(context, key);
  if (found.state === "unknown") return undecided(`${key} is not in the context`);
  if (found.state === "absent" || found.values.length === 0) return decided(whenAbsent(op, row.negated));
  const passes = (requestValue: string): boolean => {
    const matched = policyValues.some((policyValue) => row.compare(policyValue, requestValue));
    return row.negated ? !matched : matched;
  };
  const decide = (values: readonly string[]): EntryResult => {
    if (op.qualifier === "ForAnyValue") return decided(values.some(passes));
    if (op.qualifier === "ForAllValues") return decided(values.every(passes));
    if (values.length > 1) {
      return undecided(
        `${key} is multivalued; ${operator} needs ForAnyValue or ForAllValues to be evaluated`,
      );
    }
    return decided(passes(values[0] ?? ""));
  };
  const [value] = found.values;
  if (!found.pathUnknown || found.values.length !== 1 || value === undefined) return decide(found.values);
  return acrossPaths(key, value, policyValues, decide);
}

/**
 * An ARN known but for its IAM path decides an entry only when every path it may have gives the same answer
 * (`role/*` holds for any path, another account's role for none; `role/App` depends on it).
 */
function acrossPaths(
  key: string,
  arn: string,
  policyValues: readonly string[],
  decide: (values: readonly string[]) => EntryResult,
): EntryResult {
  const results = arnPathVariants(arn, policyValues).map((variant) => decide([variant]));
  const [first] = results;
  if (!first || first.value === "unknown") return first ?? undecided(`${key} is not in the context`);
  if (results.every((result) => result.value === first.value)) return first;
  return undecided(
    `${key} is ${arn} but for its IAM path, which keytrail does not keep, and the answer depends on it`,
  );
}

/**
 * A statement's whole Condition element: every operator and every key must hold (AND). Any false entry makes
 * it false; otherwise any undecided entry makes it "unknown". With no context every entry is undecided, so the
 * caller reports the conditions instead of assuming them.
 */
export function evaluateConditions(
  conditions: NormalizedConditions,
  context?: RequestContext,
): ConditionOutcome {
  const open: Undecided[] = [];
  for (const [operator, keys] of Object.entries(conditions)) {
    for (const [key, values] of Object.entries(keys)) {
      const result = evaluateConditionEntry(operator, key, values, context);
      if (result.value === false) return { outcome: false, undecided: [] };
      if (result.value === "unknown") open.push({ operator, key, reason: result.reason });
    }
  }
  return open.length > 0 ? { outcome: "unknown", undecided: open } : { outcome: true, undecided: [] };
}
