import { actionSpecCovers } from "./action-match.js";
import type { ParsedStatement } from "./parsed-policy.js";
import { matchesWildcard } from "./wildcard.js";

/**
 * Whether a statement's Action/NotAction covers the action and its Resource/NotResource covers the key.
 * In a key policy `Resource: "*"` means this key; without a key ARN every resource is taken to match.
 */
export function statementApplies(statement: ParsedStatement, action: string, keyArn?: string): boolean {
  if (!actionSpecCovers(statement.actions, action)) return false;
  if (!statement.resources || keyArn === undefined) return true;
  const listed = statement.resources.patterns.some((pattern) => matchesWildcard(pattern, keyArn, false));
  return statement.resources.kind === "Resource" ? listed : !listed;
}
