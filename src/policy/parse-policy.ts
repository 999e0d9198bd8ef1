import type { z } from "zod";
import { normalizeGrantee, normalizePrincipal } from "../events/index.js";
import type {
  NormalizedConditions,
  ParsedPolicy,
  ParsedStatement,
  PolicyParseProblem,
  PrincipalEntry,
  PrincipalSpec,
} from "./parsed-policy.js";
import {
  type ConditionBlock,
  keyPolicyDocumentSchema,
  type PolicyStatement,
  type PrincipalBlock,
  policyStatementSchema,
} from "./policy-schema.js";

const asList = (value: string | string[] | undefined): string[] =>
  value === undefined ? [] : Array.isArray(value) ? value : [value];

const PRINCIPAL_TYPES = ["AWS", "Service", "Federated", "CanonicalUser"] as const;

/**
 * The principals a Principal or NotPrincipal element names. A session ARN (`arn:aws:sts::A:assumed-role/R/s`)
 * stays that one session, as a grant to it does (normalizeGrantee): IAM matches it against that session only,
 * so reading it as role R would credit R's other sessions with the statement.
 */
function principalEntries(block: PrincipalBlock): PrincipalEntry[] {
  if (block === "*") return [{ type: "*", raw: "*", principal: normalizePrincipal("*") }];
  return PRINCIPAL_TYPES.flatMap((type) =>
    asList(block[type]).map((raw) => ({
      type,
      raw,
      // A canonical user id looks like nothing normalizePrincipal knows; keep it as its own identity.
      principal:
        type === "CanonicalUser"
          ? { id: raw, kind: "unknown" as const, account: null }
          : normalizeGrantee(raw),
    })),
  );
}

function principalSpec(statement: PolicyStatement): PrincipalSpec {
  if (statement.NotPrincipal !== undefined) {
    return { kind: "NotPrincipal", entries: principalEntries(statement.NotPrincipal) };
  }
  return { kind: "Principal", entries: statement.Principal ? principalEntries(statement.Principal) : [] };
}

function normalizeConditions(block: ConditionBlock | undefined): NormalizedConditions {
  const result: NormalizedConditions = {};
  for (const [operator, keys] of Object.entries(block ?? {})) {
    const normalized: Record<string, string[]> = {};
    for (const [key, value] of Object.entries(keys)) {
      normalized[key] = (Array.isArray(value) ? value : [value]).map(String);
    }
    result[operator] = normalized;
  }
  return result;
}

function toStatement(statement: PolicyStatement, raw: unknown, index: number): ParsedStatement {
  return {
    index,
    sid: statement.Sid ?? null,
    effect: statement.Effect,
    principals: principalSpec(statement),
    actions:
      statement.NotAction !== undefined
        ? { kind: "NotAction", patterns: asList(statement.NotAction) }
        : { kind: "Action", patterns: asList(statement.Action) },
    resources:
      statement.NotResource !== undefined
        ? { kind: "NotResource", patterns: asList(statement.NotResource) }
        : statement.Resource !== undefined
          ? { kind: "Resource", patterns: asList(statement.Resource) }
          : null,
    condition: statement.Condition ?? null,
    conditions: normalizeConditions(statement.Condition),
    raw,
  };
}

const details = (error: z.ZodError, prefix: string[]): PolicyParseProblem["details"] =>
  error.issues.map((issue) => ({
    path: [...prefix, ...issue.path.map(String)].join("."),
    message: issue.message,
  }));

function problem(reason: string, found: PolicyParseProblem["details"] = []): PolicyParseProblem {
  return { kind: "problem", reason, details: found };
}

function readJson(document: unknown): { ok: true; value: unknown } | { ok: false } {
  if (typeof document !== "string") return { ok: true, value: document };
  try {
    return { ok: true, value: JSON.parse(document) };
  } catch {
    return { ok: false };
  }
}

/**
 * Parses a key policy (an object, or its JSON text as CloudTrail logs it). The whole policy fails when any
 * statement does: KMS accepted the document, so a statement we cannot read is a gap in our grammar, and
 * answering from the remaining statements could drop a Deny.
 */
export function parsePolicy(document: unknown): ParsedPolicy | PolicyParseProblem {
  const json = readJson(document);
  if (!json.ok) return problem("the policy is not valid JSON");
  const parsed = keyPolicyDocumentSchema.safeParse(json.value);
  if (!parsed.success)
    return problem("the policy document has no readable Statement", details(parsed.error, []));
  const rawStatements = Array.isArray(parsed.data.Statement)
    ? parsed.data.Statement
    : [parsed.data.Statement];
  const statements: ParsedStatement[] = [];
  const failures: PolicyParseProblem["details"] = [];
  rawStatements.forEach((raw, index) => {
    const statement = policyStatementSchema.safeParse(raw);
    if (statement.success) statements.push(toStatement(statement.data, raw, index));
    else failures.push(...details(statement.error, ["Statement", String(index)]));
  });
  if (failures.length > 0) return problem("a policy statement does not fit the key policy grammar", failures);
  return { kind: "policy", version: parsed.data.Version ?? null, id: parsed.data.Id ?? null, statements };
}

export function isPolicyParseProblem(value: ParsedPolicy | PolicyParseProblem): value is PolicyParseProblem {
  return value.kind === "problem";
}
