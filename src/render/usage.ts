import type { UsageAttribution, UsageCall, UsageGroup, UsageReport } from "../query/index.js";
import { candidateLabel, shortPrincipal } from "../query/index.js";
import { type Block, countList } from "./blocks.js";
import { type CsvTable, idList, jsonCell, textList } from "./csv.js";
import { viaAliasNote } from "./key-from-alias.js";

const shortKey = (arn: string | null) => (arn === null ? "-" : (arn.split("/").pop() ?? arn));

/**
 * What authorized a group's calls. Calls with no route say why (by reason, counted when there are several);
 * calls that name no key (ListKeys, GenerateRandom) need no key route and say so.
 */
function attributionText(attribution: UsageAttribution): string {
  const noKey = attribution.noneReasons["no-key"] ?? 0;
  const reasons = Object.entries(attribution.noneReasons).filter(([reason]) => reason !== "no-key");
  const why =
    reasons.length === 1 ? ` (${reasons[0]?.[0]})` : reasons.length > 1 ? ` (${countList(reasons)})` : "";
  const parts = [
    ["grant", attribution.grant, ""],
    ["key policy", attribution.keyPolicy, ""],
    ["IAM delegation", attribution.iamDelegation, ""],
    ["NONE FOUND", attribution.none - noKey, why],
    ["no key named", noKey, ""],
  ] as const;
  const shown = parts.filter(([, n]) => n > 0).map(([label, n, note]) => `${label} ${n}${note}`);
  const conditional = attribution.conditional > 0 ? ` (${attribution.conditional} conditional)` : "";
  return shown.length ? shown.join(", ") + conditional : "-";
}

function principalText(principal: string, services: string[]): string {
  return services.length
    ? `${shortPrincipal(principal)} via ${services.join(",")}`
    : shortPrincipal(principal);
}

function groupRow(group: UsageGroup): string[] {
  const errors = countList(group.errors);
  return [
    principalText(group.principal, group.services),
    `${shortKey(group.key)}${group.keyRole === "destination" ? " (dest)" : ""}${viaAliasNote(group.keyFromAlias)}`,
    group.operation,
    String(group.count),
    group.denied ? `${group.denied} (${errors})` : "0",
    group.first,
    group.last,
    attributionText(group.attribution),
    group.sessions.join(",") || "-",
  ];
}

/** A call's routes, or why there is none: the Deny statements and the key state that refused it, by name. */
function callAttributionText(attribution: NonNullable<UsageCall["attribution"]>): string {
  const denies = (attribution.denies ?? []).map((deny) => deny.sid ?? `statement ${deny.statement}`);
  const state = attribution.keyState
    ? [
        `key ${attribution.keyState.blockedBy}${attribution.keyState.withinPropagationDelay ? " (change propagating)" : ""}`,
      ]
    : [];
  const replaced = attribution.policyChangePropagating ? ["policy change propagating"] : [];
  const why = [...(denies.length ? [`Deny ${denies.join(", ")}`] : []), ...state, ...replaced].join("; ");
  const routes =
    attribution.candidates.map(candidateLabel).join("; ") || `none found (${attribution.noneReason})`;
  return why ? `${routes} [${why}]` : routes;
}

function callRow(call: UsageCall): string[] {
  const attribution = call.attribution;
  return [
    call.time,
    principalText(call.principal, call.invokedBy ? [call.invokedBy] : []) +
      (call.sessionName ? ` (${call.sessionName})` : ""),
    call.operation,
    `${shortKey(call.key)}${call.keyFromAlias ? " (via alias, inferred)" : ""}`,
    call.errorCode ?? "ok",
    attribution ? callAttributionText(attribution) : "-",
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
        [
          "calls",
          `${totals.calls} (${totals.successful} successful, ${totals.denied} failed, ${totals.accessDenied} of them access denied)`,
        ],
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

const GROUP_COLUMNS = [
  "principal",
  "key",
  "operation",
  "count",
  "denied",
  "failed",
  "accessDenied",
  "first",
  "last",
  "eventIds",
  "eventIdsOmitted",
  "keyRole",
  "errors",
  "sessions",
  "services",
  "sourceIps",
  "attribution.grant",
  "attribution.keyPolicy",
  "attribution.iamDelegation",
  "attribution.none",
  "attribution.conditional",
  "attribution.stateChangePropagating",
  "attribution.policyChangePropagating",
  "attribution.grantIds",
  "attribution.statements",
  "attribution.noneReasons",
  "keyFromAlias",
] as const;

const CALL_COLUMNS = [
  "time",
  "eventId",
  "alsoEventIds",
  "principal",
  "sessionName",
  "invokedBy",
  "key",
  "keyRole",
  "operation",
  "errorCode",
  "attribution.basis",
  "attribution.conditional",
  "attribution.noneReason",
  "attribution.candidates",
  "attribution.denies",
  "attribution.keyState",
  "attribution.policyChangePropagating",
  "keyFromAlias",
] as const;

function groupsCsv(groups: readonly UsageGroup[]): CsvTable<(typeof GROUP_COLUMNS)[number]> {
  return {
    columns: GROUP_COLUMNS,
    rows: groups.map(({ attribution, ...group }) => ({
      ...group,
      eventIds: idList(group.eventIds),
      errors: jsonCell(group.errors),
      sessions: idList(group.sessions),
      services: textList(group.services),
      sourceIps: textList(group.sourceIps),
      "attribution.grant": attribution.grant,
      "attribution.keyPolicy": attribution.keyPolicy,
      "attribution.iamDelegation": attribution.iamDelegation,
      "attribution.none": attribution.none,
      "attribution.conditional": attribution.conditional,
      "attribution.stateChangePropagating": attribution.stateChangePropagating,
      "attribution.policyChangePropagating": attribution.policyChangePropagating,
      "attribution.grantIds": jsonCell(attribution.grantIds),
      "attribution.statements": jsonCell(attribution.statements),
      "attribution.noneReasons": jsonCell(attribution.noneReasons),
    })),
  };
}

function callsCsv(calls: readonly UsageCall[]): CsvTable<(typeof CALL_COLUMNS)[number]> {
  return {
    columns: CALL_COLUMNS,
    rows: calls.map(({ attribution, ...call }) => ({
      ...call,
      alsoEventIds: idList(call.alsoEventIds),
      "attribution.basis": attribution?.basis,
      "attribution.conditional": attribution?.conditional,
      "attribution.noneReason": attribution?.noneReason,
      "attribution.candidates": jsonCell(attribution?.candidates),
      "attribution.denies": jsonCell(attribution?.denies),
      "attribution.keyState": jsonCell(attribution?.keyState),
      "attribution.policyChangePropagating": attribution?.policyChangePropagating,
    })),
  };
}

/**
 * `usage --format csv`: one row per group of `calls` (principal, key, operation); with `--calls`, one row per
 * call of `detail` instead: every call is what `--calls` asks for, and one table holds one kind of row.
 */
export function usageCsv(report: UsageReport): CsvTable {
  return report.detail ? callsCsv(report.detail) : groupsCsv(report.calls);
}
