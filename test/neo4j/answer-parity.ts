import { expect } from "vitest";
import { roleSessionOf, sessionArnOf } from "../../src/events/index.js";
import { listQueries } from "../../src/neo4j/index.js";
import { iso, policyAt, type ReachKey, reach, whoCanAt } from "../../src/query/index.js";
import { type LoadedCase, query } from "./graph-fixtures.js";

/**
 * The local engine's answer and the Neo4j question's answer, in one comparable shape, for the questions whose
 * rows need more than a rename: reach (keys, operations and the sessions of partial routes) and who-can (the
 * set of routes). Shared by the fixture parity test and the session-coverage test.
 */
const documented = new Map((await listQueries()).map((named) => [named.name, named]));

export const sorted = <T>(items: T[]) =>
  [...items].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));

/** Runs a question; its header documents exactly the columns it returns. */
export async function rows(name: string, parameters: Record<string, string>) {
  const result = await query(name, parameters);
  if (result.rows.length > 0)
    expect(result.columns).toEqual(documented.get(name)?.columns.map((c) => c.name));
  return result.rows;
}

/**
 * Whom to ask reach about: roles, users and accounts of the graph (a session a grant or statement names is a
 * role node too), and every session seen calling, by its session ARN (not a node of the graph).
 */
export function askedPrincipals(loaded: LoadedCase): string[] {
  const nodes = loaded.rows.nodes.Principal.filter((p) => ["role", "user", "account"].includes(p.kind));
  const callers = loaded.data.principals.flatMap((p) =>
    p.kind === "role" ? p.sessionNames.flatMap((name) => sessionArnOf(p.id, name) ?? []) : [],
  );
  return [...new Set([...nodes.map((p) => p.id), ...callers])];
}

type ReachVia = ReachKey["via"][number];

/**
 * Known difference (docs/neo4j.md): an Allow whose NotPrincipal lists sessions of a role reaches every other
 * session of it. Asked about the role as a whole, the local reach keeps that route as partial; reach.cypher
 * leaves it out, since its `sessions` column can only list sessions a route names, not those it exempts. Only
 * such a route carries both `except` (NotPrincipal) and `partial`, so exactly these are left out of the
 * comparison.
 */
const exemptsSessions = (via: ReachVia): boolean => via.except !== undefined && via.partial !== undefined;

/** The key's operations as reach.cypher can give them: those some route other than the above opens. */
function comparedOperations(entry: ReachKey): string[] {
  if (!entry.via.some(exemptsSessions)) return entry.operations;
  const opened = new Set(
    entry.via
      .filter((via) => via.type !== "escalation" && !exemptsSessions(via))
      .flatMap((via) => via.operations),
  );
  return entry.operations.filter((operation) => opened.has(operation));
}

/**
 * The session ARNs behind reach's partial routes (`via.partial`: a grant or statement naming one session of the
 * role asked): the grantee, or the statement's principals that are sessions of that role.
 */
function partialSessions(loaded: LoadedCase, entry: ReachKey, principal: string, t: number): string[] {
  const key = loaded.model.data.keys.find((candidate) => candidate.arn === entry.key.arn);
  const statements = key ? (policyAt(key, t).policy?.statements ?? []) : [];
  const named = entry.via.flatMap((via) => {
    if (via.partial === undefined || exemptsSessions(via)) return [];
    if (via.grantId !== undefined) return [loaded.model.grantsById.get(via.grantId)?.grantee?.id ?? ""];
    return (statements[via.statement ?? -1]?.principals.entries ?? [])
      .map((spec) => spec.principal.id)
      .filter((id) => roleSessionOf(id)?.role === principal);
  });
  return [...new Set(named)].sort();
}

export interface ReachAnswer {
  key: unknown;
  operations: unknown;
  sessions: unknown;
  /** The grants among the routes whose operations were not logged */
  operationsUnknown: unknown;
}

/** The grant routes (reach.cypher has no escalation) whose CreateGrant record did not log the operations. */
const unloggedGrants = (entry: ReachKey): string[] =>
  [
    ...new Set(
      entry.via.flatMap((via) => (via.type === "grant" && via.operationsUnknown ? [via.grantId ?? ""] : [])),
    ),
  ].sort();

/**
 * reach --at: the keys with operations, the sessions of partial routes (but for the known difference), and the
 * grants whose operations were not logged.
 */
export function localReach(loaded: LoadedCase, principal: string, t: number): ReachAnswer[] {
  return sorted(
    reach(loaded.model, principal, { at: t }).keys.flatMap((entry) => {
      const operations = comparedOperations(entry);
      if (operations.length === 0) return [];
      return [
        {
          key: entry.key.arn,
          operations: [...operations].sort(),
          sessions: partialSessions(loaded, entry, principal, t),
          operationsUnknown: unloggedGrants(entry),
        },
      ];
    }),
  );
}

export async function neo4jReach(principal: string, t: number): Promise<ReachAnswer[]> {
  const found = await rows("reach", { principal, at: iso(t) });
  return sorted(
    found.map(({ key, operations, sessions, operationsUnknown }) => ({
      key,
      operations,
      sessions,
      operationsUnknown,
    })),
  );
}

export interface WhoCanAnswer {
  usable: unknown;
  /**
   * `principal|via type|grantId, Sid or #statement|escalation action|outcome`, the outcome only for a grant whose
   * operations were not logged: `operationsUnknown` and whether the route is conditional (it must be)
   */
  routes: string[];
}

/** The last part of a route: said only of a route through a grant whose operations were not logged. */
const unloggedOutcome = (operationsUnknown: unknown, conditional: unknown) =>
  operationsUnknown === true ? `operationsUnknown conditional=${String(conditional)}` : "";

/**
 * Known difference (docs/neo4j.md): the graph does not hold a multi-Region key's primary and replica roles over
 * time, so who-can.cypher lists no escalation by ReplicateKey; the comparison leaves exactly those routes out.
 */
const replicates = (via: { type: string; action?: string }): boolean =>
  via.type === "escalation" && via.action === "ReplicateKey";

export function localWhoCan(loaded: LoadedCase, key: string, operation: string, t: number): WhoCanAnswer {
  const local = whoCanAt(loaded.model, key, t, { operation });
  const routes = local.principals.flatMap((entry) =>
    entry.via
      .filter((via) => !replicates(via))
      .map(
        (via) =>
          `${entry.principal}|${via.type}|${via.grantId ?? via.sid ?? `#${via.statement}`}|${via.type === "escalation" ? via.action : ""}|${unloggedOutcome(via.operationsUnknown, via.conditionResult === "unknown")}`,
      ),
  );
  return { usable: local.usable, routes: sorted([...new Set(routes)]) };
}

export async function neo4jWhoCan(key: string, operation: string, t: number): Promise<WhoCanAnswer> {
  const found = await rows("who-can", { key, operation, at: iso(t) });
  const routes = found
    .filter((row) => row.principal !== null)
    .map(
      (row) =>
        `${row.principal}|${row.via}|${row.grantId ?? row.sid ?? `#${row.statement}`}|${row.action ?? ""}|${unloggedOutcome(row.operationsUnknown, row.conditional)}`,
    );
  return { usable: found[0]?.usable, routes: sorted([...new Set(routes)]) };
}
