export { type ActionSpec, actionPatternCovers, actionSpecCovers, expandActions } from "./action-match.js";
export type { EvaluationOptions } from "./applicable-statements.js";
export type {
  DenyNote,
  EscalationAction,
  PrincipalAuthorization,
  RemovedPrincipal,
  Via,
} from "./authorization.js";
export { routeHoldsOutright } from "./authorization-draft.js";
export { authorizeOperation, type OperationAnswer } from "./authorize-operation.js";
export { CONDITION_OPERATORS, type ParsedOperator, parseOperator, type Tri } from "./condition-operators.js";
export {
  CROSS_ACCOUNT_ACTIONS,
  type RefusedRoute,
  SAME_ACCOUNT_ACTIONS,
} from "./cross-account.js";
export {
  type EscalationAnswer,
  type EscalationOptions,
  escalationAnswer,
  escalationPaths,
} from "./escalation.js";
export {
  type ConditionOutcome,
  evaluateConditionEntry,
  evaluateConditions,
  type Undecided,
} from "./evaluate-conditions.js";
export {
  constraintsHold,
  type GrantCheckOptions,
  type GrantDecision,
  type GrantInput,
  grantAllows,
  includesCreateGrant,
} from "./grant-allows.js";
export {
  bareOperation,
  KMS_ACTIONS,
  kmsActionFor,
  type ReEncryptSide,
  resolveAction,
} from "./kms-actions.js";
export { isPolicyParseProblem, parsePolicy } from "./parse-policy.js";
export type {
  NormalizedConditions,
  ParsedPolicy,
  ParsedStatement,
  PolicyParseProblem,
  PrincipalEntry,
  PrincipalSpec,
  ResourceSpec,
} from "./parsed-policy.js";
export {
  type ConditionBlock,
  conditionBlockSchema,
  type KeyPolicyDocument,
  keyPolicyDocumentSchema,
  type PolicyStatement,
  type PrincipalBlock,
  policyStatementSchema,
  principalBlockSchema,
} from "./policy-schema.js";
export {
  type Coverage,
  type CoverageTarget,
  entryCovers,
  principalSpecCovers,
  samePrincipal,
} from "./principal-coverage.js";
export {
  encryptionContextOf,
  type KmsRequestFacts,
  kmsRequestContext,
  lookupContextKey,
  principalContext,
  principalIdentityFacts,
  type RequestContext,
  recordNetworkFacts,
  requestContextSchema,
} from "./request-context.js";
export { statementsFor } from "./statements-for.js";
export { whoCan } from "./who-can.js";
export { matchesWildcard } from "./wildcard.js";
