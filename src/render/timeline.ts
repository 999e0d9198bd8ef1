import type { TimelineEntry, TimelineReport } from "../query/index.js";
import { shortPrincipal } from "../query/index.js";
import type { Block } from "./blocks.js";
import { type CsvTable, idList } from "./csv.js";

const shortKey = (arn: string) => arn.split("/").pop() ?? arn;

function entryRow(entry: TimelineEntry): string[] {
  const marker = entry.kind === "state" ? ` [${entry.confidence}]` : "";
  const what = entry.kind === "event" && entry.error ? `${entry.name} FAILED (${entry.error})` : entry.name;
  const ids = entry.eventIds.length
    ? `${entry.eventIds[0]}${entry.eventIds.length + entry.eventIdsOmitted > 1 ? ` +${entry.eventIds.length + entry.eventIdsOmitted - 1}` : ""}`
    : "-";
  return [
    entry.time,
    entry.actor ? shortPrincipal(entry.actor) : "-",
    `${what}${marker}`,
    entry.keys.map(shortKey).join(",") || "-",
    entry.summary,
    ids,
  ];
}

export function timelineBlocks(report: TimelineReport): Block[] {
  const { query, totals } = report;
  return [
    {
      kind: "fields",
      title: "Timeline",
      fields: [
        ["keys", query.keys?.join(", ") ?? "all"],
        ["principal", query.principal ?? "all"],
        ["window", `${query.from ?? "(start)"} .. ${query.to ?? "(end)"}`],
        [
          "lines",
          `${report.entries.length}: ${totals.events} events, ${totals.stateChanges} inferred changes, ${totals.usageRuns} usage runs (${totals.usageCalls} calls)`,
        ],
      ],
    },
    {
      kind: "table",
      title: "Events, state changes and usage runs",
      table: {
        headers: ["time", "actor", "what", "key", "details", "eventIds"],
        rows: report.entries.map(entryRow),
      },
      empty: "nothing in this window",
    },
    { kind: "list", title: "Caveats", items: report.caveats },
  ];
}

const TIMELINE_COLUMNS = [
  "time",
  "end",
  "kind",
  "confidence",
  "account",
  "region",
  "actor",
  "sessions",
  "invokedBy",
  "sourceIp",
  "keys",
  "name",
  "summary",
  "error",
  "count",
  "eventIds",
  "eventIdsOmitted",
] as const;

/** `timeline --format csv`: one row per timeline line, every field of its JSON entry. */
export function timelineCsv(report: TimelineReport): CsvTable<(typeof TIMELINE_COLUMNS)[number]> {
  return {
    columns: TIMELINE_COLUMNS,
    rows: report.entries.map((entry) => ({
      ...entry,
      sessions: idList(entry.sessions),
      keys: idList(entry.keys),
      eventIds: idList(entry.eventIds),
    })),
  };
}
