import type { Principal } from "../events/index.js";
import { type ApplicableStatement, forPrincipal, type Route, statementFacts } from "./authorization-draft.js";
import { evaluateConditions } from "./evaluate-conditions.js";
import type { ReEncryptSide } from "./kms-actions.js";
import type { ParsedPolicy } from "./parsed-policy.js";
import type { RequestContext } from "./request-context.js";
import { statementApplies } from "./statement-applies.js";

export interface EvaluationOptions {
  /** What is known about the request; without it every condition is reported, none assumed. */
  context?: RequestContext;
  /** For ReEncrypt: which side this key is on (default source, i.e. kms:ReEncryptFrom). */
  side?: ReEncryptSide;
  /** The key's ARN, to check Resource/NotResource; without it every statement is taken to name this key. */
  keyArn?: string;
}

const ANYONE: Principal = { id: "*", kind: "any", account: null };

/** The statements of each effect that apply to the action and whose conditions are not known to fail. */
export function applicableStatements(policy: ParsedPolicy, action: string, options: EvaluationOptions) {
  const applicable: ApplicableStatement[] = policy.statements
    .filter((statement) => statementApplies(statement, action, options.keyArn))
    .map((statement) => ({ statement, result: evaluateConditions(statement.conditions, options.context) }))
    .filter(({ result }) => result.outcome !== false);
  return {
    allows: applicable.filter(({ statement }) => statement.effect === "Allow"),
    denies: applicable.filter(({ statement }) => statement.effect === "Deny"),
  };
}

/** The principals one Allow statement reaches. Naming an account delegates to IAM there (DESIGN §5). */
export function allowRoutes(allow: ApplicableStatement, context?: RequestContext): Route[] {
  const { principals } = allow.statement;
  if (principals.kind === "NotPrincipal") {
    const except = principals.entries.map((entry) => entry.principal.id);
    return [{ who: ANYONE, via: { type: "keyPolicy", ...statementFacts(allow), except } }];
  }
  return principals.entries.flatMap(({ principal }): Route[] => {
    const own = forPrincipal(allow, principal, context);
    if (!own) return [];
    const facts = statementFacts(own);
    return principal.kind === "account"
      ? [{ who: principal, via: { type: "iamDelegation", account: principal.id, ...facts } }]
      : [{ who: principal, via: { type: "keyPolicy", ...facts } }];
  });
}
