import type { UsageAttribution, UsageCall, UsageGroup, UsageReport } from "../query/index.js";
import { candidateLabel, shortPrincipal } from "../query/index.js";
import type { Block } from "./blocks.js";

const shortKey = (arn: string | null) => (arn === null ? "-" : (arn.split("/").pop() ?? arn));

function attributionText(attribution: UsageAttribution): string {
  const parts = [
    ["grant", attribution.grant],
    ["key policy", attribution.keyPolicy],
    ["IAM delegation", attribution.iamDelegation],
    ["NONE FOUND", attribution.none],
  ]
    .filter(([, n]) => Number(n) > 0)
    .map(([label, n]) => `${label} ${n}`);
  const conditional = attribution.conditional > 0 ? ` (${attribution.conditional} conditional)` : "";
  return parts.length ? parts.join(", ") + conditional : "-";
}

function principalText(principal: string, services: string[]): string {
  return services.length
    ? `${shortPrincipal(principal)} via ${services.join(",")}`
    : shortPrincipal(principal);
}

function groupRow(group: UsageGroup): string[] {
  const errors = Object.entries(group.errors)
    .map(([code, n]) => `${code} ${n}`)
    .join(", ");
  return [
    principalText(group.principal, group.services),
    `${shortKey(group.key)}${group.keyRole === "destination" ? " (dest)" : ""}`,
    group.operation,
    String(group.count),
    group.denied ? `${group.denied} (${errors})` : "0",
    group.first,
    group.last,
    attributionText(group.attribution),
    group.sessions.join(",") || "-",
  ];
}

function callRow(call: UsageCall): string[] {
  const attribution = call.attribution;
  return [
    call.time,
    principalText(call.principal, call.invokedBy ? [call.invokedBy] : []) +
      (call.sessionName ? ` (${call.sessionName})` : ""),
    call.operation,
    shortKey(call.key),
    call.errorCode ?? "ok",
    attribution
      ? attribution.candidates.map(candidateLabel).join("; ") || `none found (${attribution.noneReason})`
      : "-",
    call.eventId,
  ];
}

export function usageBlocks(report: UsageReport): Block[] {
  const { query, totals } = report;
  const blocks: Block[] = [
    {
      kind: "fields",
      title: "Usage",
      fields: [
        ["keys", query.keys?.join(", ") ?? "all"],
        ["principal", query.principal ?? "all"],
        ["window", `${query.from ?? "(start)"} .. ${query.to ?? "(end)"}`],
        ["operation", query.operation ?? "all"],
        ["calls", `${totals.calls} (${totals.successful} successful, ${totals.denied} failed)`],
      ],
    },
    {
      kind: "table",
      title: "Calls by principal, key and operation",
      table: {
        headers: [
          "principal",
          "key",
          "operation",
          "ok",
          "failed",
          "first",
          "last",
          "authorized by",
          "sessions",
        ],
        rows: report.calls.map(groupRow),
      },
      empty: "no calls match",
    },
  ];
  if (report.detail) {
    blocks.push({
      kind: "table",
      title: "Each call",
      table: {
        headers: ["time", "principal", "operation", "key", "outcome", "could be authorized by", "eventId"],
        rows: report.detail.map(callRow),
      },
    });
  }
  blocks.push({ kind: "list", title: "Caveats", items: report.caveats });
  return blocks;
}
