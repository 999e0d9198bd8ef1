import type { ReachKey, ReachReport } from "../query/index.js";
import { type Block, countList } from "./blocks.js";
import { conditionsLabel, operationsLabel, routesLabel } from "./who-can.js";

function usedLabel(key: ReachKey): string {
  return (
    key.used
      .map((use) => `${use.operation} ${use.count} ok${use.denied ? ` / ${use.denied} failed` : ""}`)
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

export function reachBlocks(report: ReachReport): Block[] {
  const when = report.at ?? `${report.from ?? "?"} .. ${report.to ?? "?"}`;
  const usage = report.usageWindow.from === null ? "the whole trail" : when;
  return [
    {
      kind: "fields",
      title: `What ${report.principal} could use at ${when}`,
      fields: [
        ["principal", `${report.principal} (${report.kind})`],
        [report.at ? "at" : "window", when],
        ["usage counted over", usage],
        ["keys", String(report.keys.length)],
        ["used but not explained", String(report.usedButNotExplained.length)],
      ],
    },
    {
      kind: "table",
      title: "Keys it could use",
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
          use.key,
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
