import { sessionArnOf } from "../events/index.js";
import type { ReachKey, ReachReport } from "../query/index.js";
import { type Block, countList } from "./blocks.js";
import { type CsvTable, type CsvValue, idList, jsonCell } from "./csv.js";
import { viaAliasNote } from "./key-from-alias.js";
import {
  ADDED_VIA_COLUMNS,
  addedViaCells,
  conditionsLabel,
  operationsLabel,
  routesLabel,
  routesOf,
  VIA_COLUMNS,
  viaCells,
} from "./who-can.js";

function usedLabel(key: ReachKey): string {
  return (
    key.used
      .map(
        (use) =>
          `${use.operation} ${use.count} ok${use.denied ? ` / ${use.denied} failed` : ""}${viaAliasNote(use.keyFromAlias)}`,
      )
      .join("; ") || "not used"
  );
}

function keyRow(entry: ReachKey): string[] {
  const { key } = entry;
  return [
    key.aliases.length ? `${key.arn} (${key.aliases.join(", ")})` : key.arn,
    key.states.length > 1 ? `${key.states.join(" → ")}` : key.state,
    operationsLabel(entry.operations),
    routesLabel(entry.via),
    conditionsLabel(entry.via),
    usedLabel(entry),
  ];
}

/** Who was asked about: the principal, or the one session of it asked as a session ARN. */
function askedAbout(report: ReachReport): string {
  if (report.session === undefined) return report.principal;
  return sessionArnOf(report.principal, report.session) ?? `${report.principal} session ${report.session}`;
}

/** The session asked about, as a field, saying what it narrows: both the routes and the calls counted. */
function sessionFields(report: ReachReport): [string, string][] {
  if (report.session === undefined) return [];
  return [["session", `${report.session} (routes and calls of this session only)`]];
}

export function reachBlocks(report: ReachReport): Block[] {
  const when = report.at ?? `${report.from ?? "?"} .. ${report.to ?? "?"}`;
  const usage = report.usageWindow.from === null ? "the whole trail" : when;
  return [
    {
      kind: "fields",
      title: `What ${askedAbout(report)} could use at ${when}`,
      fields: [
        ["principal", `${report.principal} (${report.kind})`],
        ...sessionFields(report),
        [report.at ? "at" : "window", when],
        ["usage counted over", usage],
        ["keys", String(report.keys.length)],
        ["used but not explained", String(report.usedButNotExplained.length)],
      ],
    },
    {
      kind: "table",
      title: "Keys it could use (or, with no operations, used with no route of its own)",
      table: {
        headers: ["key", "state", "operations", "how", "conditions", "used"],
        rows: report.keys.map(keyRow),
      },
      empty: "none, as far as the replayed policies and grants show",
    },
    {
      kind: "table",
      title: "Used, but nothing in the replayed state explains it",
      table: {
        headers: ["key", "operation", "calls", "why", "first .. last", "first eventId"],
        rows: report.usedButNotExplained.map((use) => [
          `${use.key}${viaAliasNote(use.keyFromAlias)}`,
          use.operation,
          String(use.count),
          countList(use.reasons),
          `${use.first} .. ${use.last}`,
          use.eventIds[0] ?? "-",
        ]),
      },
    },
    { kind: "list", title: "Caveats", items: report.caveats },
  ];
}

const REACH_COLUMNS = [
  "section",
  "principal",
  "session",
  "at",
  "from",
  "to",
  "key.arn",
  "key.aliases",
  "key.state",
  "key.states",
  "operations",
  "conditional",
  ...VIA_COLUMNS,
  "operation",
  "count",
  "denied",
  "first",
  "last",
  "eventIds",
  "reasons",
  "keyFromAlias",
  // Added after the first release of the columns, so at the end: columns are never reordered.
  ...ADDED_VIA_COLUMNS,
] as const;
type ReachColumn = (typeof REACH_COLUMNS)[number];

/**
 * `reach --format csv`: one row per route of each key (`section` `keys`), one per use of a key (`used`: its
 * `operation`, `count`, `denied`, `first`, `last`, `keyFromAlias`), and one per use nothing explains
 * (`usedButNotExplained`, its key in `key.arn`, with `keyFromAlias` too). A route's `via.onlyAccount` and
 * `via.reaches` come last, added after the other columns.
 */
export function reachCsv(report: ReachReport): CsvTable<ReachColumn> {
  const question = {
    principal: report.principal,
    session: report.session,
    at: report.at,
    from: report.from,
    to: report.to,
  };
  const empty = {
    ...viaCells(undefined),
    ...addedViaCells(undefined),
    operations: null,
    conditional: null,
    eventIds: null,
    reasons: null,
  };
  const noUse = { operation: null, count: null, denied: null, first: null, last: null, keyFromAlias: null };
  const keyCells = ({ key }: ReachKey) => ({
    "key.arn": key.arn,
    "key.aliases": idList(key.aliases),
    "key.state": key.state,
    "key.states": idList(key.states),
  });
  const keys = report.keys.flatMap((entry) =>
    routesOf(entry.via).map(
      (via): Record<ReachColumn, CsvValue> => ({
        section: "keys",
        ...question,
        ...keyCells(entry),
        operations: idList(entry.operations),
        conditional: entry.conditional,
        ...viaCells(via),
        ...noUse,
        ...addedViaCells(via),
        eventIds: null,
        reasons: null,
      }),
    ),
  );
  const used = report.keys.flatMap((entry) =>
    entry.used.map(
      (use): Record<ReachColumn, CsvValue> => ({
        section: "used",
        ...question,
        ...keyCells(entry),
        ...empty,
        operation: use.operation,
        count: use.count,
        denied: use.denied,
        first: use.first,
        last: use.last,
        keyFromAlias: use.keyFromAlias,
      }),
    ),
  );
  const unexplained = report.usedButNotExplained.map(
    (use): Record<ReachColumn, CsvValue> => ({
      section: "usedButNotExplained",
      ...question,
      ...empty,
      "key.arn": use.key,
      "key.aliases": null,
      "key.state": null,
      "key.states": null,
      operation: use.operation,
      count: use.count,
      denied: null,
      first: use.first,
      last: use.last,
      eventIds: idList(use.eventIds),
      reasons: jsonCell(use.reasons),
      keyFromAlias: use.keyFromAlias,
    }),
  );
  return { columns: REACH_COLUMNS, rows: [...keys, ...used, ...unexplained] };
}
