import type { EvaluationOptions } from "./applicable-statements.js";
import { authorizeOperation, type OperationAnswer } from "./authorize-operation.js";
import type { ParsedPolicy } from "./parsed-policy.js";

/**
 * Who the key policy alone lets perform one operation on this key: per principal, the Allow statements that
 * grant it (conditions kept whole), minus principals an unconditional Deny reaches entirely. A Deny that is
 * conditional, or reaches only part of a principal, is reported beside the allow as a DenyNote.
 */
export function statementsFor(
  policy: ParsedPolicy,
  operation: string,
  options: EvaluationOptions = {},
): OperationAnswer {
  return authorizeOperation(policy, [], operation, options);
}
