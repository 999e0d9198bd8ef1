import type { ConditionBlock, DenyNote } from "../policy/index.js";
import type { WhoCanPrincipal, WhoCanReport, WhoCanVia } from "../query/index.js";
import { KEY_OPERATIONS } from "../query/index.js";
import type { Block } from "./blocks.js";
import { type CsvTable, type CsvValue, idList, jsonCell } from "./csv.js";

const short = (id: string) => (id.length > 16 ? `${id.slice(0, 12)}…` : id);
const statementName = (via: { sid?: string; statement?: number }) =>
  via.sid ? `"${via.sid}"` : `statement #${via.statement ?? "?"}`;

/** "all 45", "all but A, B", or the list: a line per principal must stay readable. */
export function operationsLabel(operations: readonly string[]): string {
  if (operations.length === 0) return "none directly";
  const missing = KEY_OPERATIONS.filter((operation) => !operations.includes(operation));
  if (missing.length === 0) return `all ${operations.length} (kms:*)`;
  if (missing.length <= 5 && operations.length > missing.length) return `all but ${missing.join(", ")}`;
  return operations.join(", ");
}

/** The route's own name: the statement, grant, delegation or escalation action behind it. */
function routeName(via: WhoCanVia): string {
  switch (via.type) {
    case "keyPolicy":
      return `policy ${statementName(via)}`;
    case "grant":
      return `grant ${short(via.grantId ?? "?")}`;
    case "iamDelegation":
      return `IAM of ${via.account ?? "?"} (policy ${statementName(via)})`;
    case "escalation":
      return `escalation by ${via.action ?? "?"}`;
  }
}

/**
 * A route as a table names it. One that serves only part of the principal (reach: a grant or statement naming
 * one session of the role asked about) carries its reason, so the table shows which session, as JSON and CSV do.
 */
export function viaLabel(via: WhoCanVia): string {
  return via.partial === undefined ? routeName(via) : `${routeName(via)} (partial: ${via.partial})`;
}

/**
 * Routes in the order a reader needs them: whole direct routes, then partial ones (whose long reason would
 * otherwise push the others past a clipped cell), then escalation, which only says which actions open the way.
 */
const routeRank = (via: WhoCanVia): number =>
  via.type === "escalation" ? 2 : via.partial === undefined ? 0 : 1;

/** The distinct routes of a line, ordered by routeRank. */
export function routesLabel(vias: readonly WhoCanVia[]): string {
  const ranked = [...vias].sort((a, b) => routeRank(a) - routeRank(b));
  return [...new Set(ranked.map(viaLabel))].join("; ");
}

function conditionText(block: ConditionBlock): string[] {
  return Object.entries(block).flatMap(([operator, keys]) =>
    Object.entries(keys).map(
      ([key, value]) => `${operator} ${key}=${Array.isArray(value) ? value.join("|") : String(value)}`,
    ),
  );
}

const pairs = (record: Record<string, string>) =>
  Object.entries(record)
    .map(([k, v]) => `${k}=${v}`)
    .join(",");

/** The conditions, constraints and exclusions of routes, short. */
function routeConditionParts(vias: readonly WhoCanVia[]): string[] {
  return vias.flatMap((via) => [
    ...(via.conditions ? conditionText(via.conditions) : []),
    ...(via.constraints?.encryptionContextSubset
      ? [`context ⊇ {${pairs(via.constraints.encryptionContextSubset)}}`]
      : []),
    ...(via.constraints?.encryptionContextEquals
      ? [`context = {${pairs(via.constraints.encryptionContextEquals)}}`]
      : []),
    ...(via.except?.length ? [`except ${via.except.join(", ")}`] : []),
  ]);
}

const denyParts = (denies: readonly DenyNote[]) =>
  denies.map((deny) => `Deny ${statementName(deny)} may apply`);

const joinParts = (parts: readonly string[]) => [...new Set(parts)].join("; ") || "-";

/**
 * A few operations by name; more as their count, what they are, and the first ones (the JSON and CSV list them
 * all): "Decrypt, Encrypt", "14 operations (Decrypt, DeriveSharedSecret, Encrypt, …)".
 */
function fewOperations(operations: readonly string[], what = ""): string {
  if (operations.length <= 4) return `${operations.join(", ")}${what ? ` (${what})` : ""}`;
  return `${operations.length} operations${what ? ` ${what}` : ""} (${operations.slice(0, 3).join(", ")}, …)`;
}

/** A route KMS limits to the key's account (`via.onlyAccount`): its operations are not cross-account. */
function accountPart(via: WhoCanVia): string[] {
  if (via.onlyAccount === undefined) return [];
  return [`only account ${via.onlyAccount} for ${fewOperations(via.operations, "not cross-account")}`];
}

/** What an escalation can give itself (`via.reaches`): a grant's operations, or ReplicateKey's cryptographic ones. */
function reachesPart(via: WhoCanVia): string[] {
  if (via.reaches === undefined) return [];
  return [`${via.action ?? "escalation"} gives only ${fewOperations(via.reaches)}`];
}

/**
 * The conditions cell of one line (who-can's principal, reach's key), short: the routes' conditions, constraints
 * and exclusions, the routes KMS limits to the key's account, the Denies that may apply and, last as the longest,
 * what an escalation can give, which JSON and CSV carry as `via.onlyAccount` and `via.reaches`.
 */
export function conditionsLabel(vias: readonly WhoCanVia[], denies: readonly DenyNote[] = []): string {
  return joinParts([
    ...routeConditionParts(vias),
    ...vias.flatMap(accountPart),
    ...denyParts(denies),
    ...vias.flatMap(reachesPart),
  ]);
}

function principalRow(entry: WhoCanPrincipal): string[] {
  return [
    entry.principal,
    entry.kind,
    operationsLabel(entry.operations),
    routesLabel(entry.via),
    conditionsLabel(entry.via, entry.denies),
    entry.conditional ? "conditional" : "yes",
  ];
}

const listOrNone = (values: readonly string[]) => values.join(", ") || "-";

export function whoCanBlocks(report: WhoCanReport): Block[] {
  const { key } = report;
  const usable = report.usable
    ? "yes"
    : `NO: the key is ${report.blockedBy ?? "?"}${report.operation === "*" ? " (cryptographic operations refused)" : ""}`;
  const fields: [string, string][] = [
    ["key", key.arn],
    ["aliases", key.aliases.join(", ") || "-"],
    ["at", report.at],
    ["state", `${key.state}${key.stateKnown ? "" : " (not known from the trail)"}`],
    ["operation", report.operation === "*" ? "every key operation" : report.operation],
    ["usable", usable],
    [
      "key policy",
      report.policy
        ? `version ${report.policy.version} (${report.policy.confidence}, ${report.policy.eventIds[0] ?? "no event"})`
        : "UNKNOWN",
    ],
    ["grants in force", String(report.grantIds.length)],
  ];
  const blocks: Block[] = [
    { kind: "fields", title: `Who could use ${key.keyId} at ${report.at}`, fields },
    {
      kind: "table",
      title: "Principals",
      table: {
        headers: ["principal", "kind", "operations", "how", "conditions", "certain"],
        rows: report.principals.map(principalRow),
      },
      empty: "nobody, as far as the replayed policy and grants show",
    },
  ];
  if (report.removed.length > 0) {
    blocks.push({
      kind: "table",
      title: "Removed by an unconditional Deny",
      table: {
        headers: ["principal", "operations", "Deny"],
        rows: report.removed.map((entry) => [
          entry.principal,
          operationsLabel(entry.operations),
          statementName(entry),
        ]),
      },
    });
  }
  if (report.refusedAcrossAccounts.length > 0) {
    blocks.push({
      kind: "table",
      title:
        "Refused across accounts: named by the key policy, but KMS does not allow these to another account",
      table: {
        headers: ["principal", "account", "operations refused", "escalation refused", "statements"],
        rows: report.refusedAcrossAccounts.map((entry) => [
          entry.principal,
          entry.account,
          listOrNone(entry.operations),
          listOrNone(entry.escalation),
          listOrNone(entry.statements.map((statement) => statementName({ statement }))),
        ]),
      },
    });
  }
  blocks.push({ kind: "list", title: "Caveats", items: report.caveats });
  return blocks;
}

/** The columns of one route (`via`), shared by who-can and reach. */
export const VIA_COLUMNS = [
  "via.type",
  "via.sid",
  "via.statement",
  "via.grantId",
  "via.account",
  "via.action",
  "via.conditions",
  "via.conditionResult",
  "via.undecided",
  "via.constraints",
  "via.operationsUnknown",
  "via.except",
  "via.partial",
  "via.operations",
  "via.eventIds",
] as const;
type ViaColumn = (typeof VIA_COLUMNS)[number];

/** A route's cells; all empty for a row that is not a route. */
export function viaCells(via: WhoCanVia | undefined): Record<ViaColumn, CsvValue> {
  return {
    "via.type": via?.type,
    "via.sid": via?.sid,
    "via.statement": via?.statement,
    "via.grantId": via?.grantId,
    "via.account": via?.account,
    "via.action": via?.action,
    "via.conditions": jsonCell(via?.conditions),
    "via.conditionResult": via?.conditionResult,
    "via.undecided": jsonCell(via?.undecided),
    "via.constraints": jsonCell(via?.constraints),
    "via.operationsUnknown": via?.operationsUnknown,
    "via.except": via?.except && idList(via.except),
    "via.partial": via?.partial,
    "via.operations": via && idList(via.operations),
    "via.eventIds": via && idList(via.eventIds),
  };
}

/**
 * The columns of a route added after VIA_COLUMNS were first released, shared by who-can and reach: each CSV
 * appends them after its own columns, since columns are never reordered.
 */
export const ADDED_VIA_COLUMNS = ["via.onlyAccount", "via.reaches"] as const;
type AddedViaColumn = (typeof ADDED_VIA_COLUMNS)[number];

/** A route's ADDED_VIA_COLUMNS cells; empty for a row that is not a route. */
export function addedViaCells(via: WhoCanVia | undefined): Record<AddedViaColumn, CsvValue> {
  return {
    "via.onlyAccount": via?.onlyAccount,
    "via.reaches": via?.reaches && idList(via.reaches),
  };
}

/** Each route of a line, or one empty route when it has none, so that no line is lost. */
export const routesOf = (vias: readonly WhoCanVia[]): (WhoCanVia | undefined)[] =>
  vias.length > 0 ? [...vias] : [undefined];

const WHO_CAN_COLUMNS = [
  "section",
  "key.arn",
  "at",
  "key.state",
  "usable",
  "blockedBy",
  "blockedOperations",
  "principal",
  "kind",
  "operations",
  "conditional",
  "conditionalOperations",
  "denies",
  ...VIA_COLUMNS,
  "sid",
  "statement",
  // Added after the first release of the columns, so at the end: columns are never reordered.
  ...ADDED_VIA_COLUMNS,
  "account",
  "escalation",
  "statements",
] as const;
type WhoCanColumn = (typeof WHO_CAN_COLUMNS)[number];

/** The cells of a `refusedAcrossAccounts` entry, empty on the other rows. */
const noRefusal = { account: null, escalation: null, statements: null };

/**
 * `who-can --format csv`: one row per route of each principal (`section` `principals`), then one per principal
 * an unconditional Deny removed (`section` `removed`, its Deny in `sid` and `statement`), then one per principal
 * of another account refused operations across accounts (`section` `refusedAcrossAccounts`, the refused
 * operations in `operations`, with `account`, `escalation` and `statements`); every row carries the key's state
 * and what it blocks.
 */
export function whoCanCsv(report: WhoCanReport): CsvTable<WhoCanColumn> {
  // The key state belongs on every row: a principal listed for a Disabled key can use none of it.
  const question = {
    "key.arn": report.key.arn,
    at: report.at,
    "key.state": report.key.state,
    usable: report.usable,
    blockedBy: report.blockedBy,
    blockedOperations: idList(report.blockedOperations),
  };
  const principals = report.principals.flatMap((entry) =>
    routesOf(entry.via).map(
      (via): Record<WhoCanColumn, CsvValue> => ({
        section: "principals",
        ...question,
        principal: entry.principal,
        kind: entry.kind,
        operations: idList(entry.operations),
        conditional: entry.conditional,
        conditionalOperations: idList(entry.conditionalOperations),
        denies: jsonCell(entry.denies),
        ...viaCells(via),
        sid: null,
        statement: null,
        ...addedViaCells(via),
        ...noRefusal,
      }),
    ),
  );
  /** A row without a route: a principal a Deny removed, or one refused across accounts. */
  const routeless = (
    section: string,
    entry: { principal: string; kind: string; operations: readonly string[] },
    cells: Partial<Record<WhoCanColumn, CsvValue>>,
  ): Record<WhoCanColumn, CsvValue> => ({
    section,
    ...question,
    principal: entry.principal,
    kind: entry.kind,
    operations: idList(entry.operations),
    conditional: null,
    conditionalOperations: null,
    denies: null,
    ...viaCells(undefined),
    sid: null,
    statement: null,
    ...addedViaCells(undefined),
    ...noRefusal,
    ...cells,
  });
  const removed = report.removed.map((entry) =>
    routeless("removed", entry, { sid: entry.sid, statement: entry.statement }),
  );
  const refused = report.refusedAcrossAccounts.map((entry) =>
    routeless("refusedAcrossAccounts", entry, {
      account: entry.account,
      escalation: idList(entry.escalation),
      statements: idList(entry.statements.map(String)),
    }),
  );
  return { columns: WHO_CAN_COLUMNS, rows: [...principals, ...removed, ...refused] };
}
