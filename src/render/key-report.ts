import type { GrantSummary, HistoryInterval, KeyAtReport, KeyHistoryReport } from "../query/index.js";
import type { Block } from "./blocks.js";
import { confidenceColumn } from "./confidence-column.js";
import { type CsvTable, type CsvValue, idList, jsonCell } from "./csv.js";

/** A grant's operations; a CreateGrant record that did not log them (eventVersion 1.02) says so, not "none". */
function operationsText(grant: { operations: readonly string[]; operationsKnown?: boolean }): string {
  return grant.operationsKnown === false ? "not logged" : grant.operations.join(",");
}

const dash = (value: string | number | null | undefined) =>
  value === null || value === undefined || value === "" ? "-" : String(value);
const span = (from: string, to: string | null) => `${from} .. ${to ?? "(end)"}`;

function identityFields(report: KeyAtReport | KeyHistoryReport): [string, string][] {
  const { key } = report;
  return [
    ["arn", key.arn],
    ["created", key.createdAt ?? `not in the trail (first seen ${key.firstSeen})`],
    ["origin / spec / usage", `${dash(key.origin)} / ${dash(key.keySpec)} / ${dash(key.keyUsage)}`],
    ["multi-Region", key.multiRegion ? "yes" : "no"],
  ];
}

export function keyAtBlocks(report: KeyAtReport): Block[] {
  // A grant the trail shows only being retired or revoked is not recorded: then its confidence gets a column.
  const rating = confidenceColumn(report.grants);
  const state = `${report.state}${report.stateKnown ? "" : " (not known from the trail)"}${report.stateConfidence === "inferred" ? " (inferred)" : ""}`;
  const fields: [string, string][] = [
    ...identityFields(report),
    ["at", report.at],
    ["state", `${state}${report.stateSince ? ` since ${report.stateSince}` : ""}`],
    ["aliases", report.aliases.join(", ") || "-"],
    [
      "policy version",
      report.policy
        ? `${report.policy.version} (${report.policy.confidence}, since ${report.policy.since})`
        : "unknown",
    ],
    [
      "rotation",
      report.rotation
        ? `${report.rotation.enabled ? "enabled" : "disabled"}${report.rotation.periodDays ? ` every ${report.rotation.periodDays} days` : ""} (${report.rotation.confidence})`
        : "unknown",
    ],
    ["last rotation", dash(report.lastRotation)],
    [
      "key material",
      report.material
        ? `valid to ${dash(report.material.validTo)} (${dash(report.material.expirationModel)})`
        : "-",
    ],
    ["deletion date", dash(report.deletionDate)],
    [
      "multi-Region role",
      report.multiRegionRole
        ? `${report.multiRegionRole.role} (primary ${report.multiRegionRole.primaryArn})`
        : "-",
    ],
    ["description", dash(report.description)],
    [
      "tags",
      Object.entries(report.tags)
        .map(([k, v]) => `${k}=${v}`)
        .join(", ") || "-",
    ],
    ["state evidence", report.stateEventIds.join(", ") || "-"],
  ];
  return [
    { kind: "fields", title: `Key ${report.key.keyId} at ${report.at}`, fields },
    {
      kind: "table",
      title: "Grants in force",
      table: {
        headers: ["grant", "grantee", "operations", "constraints", "since", ...rating.header, "eventId"],
        rows: report.grants.map((grant) => [
          grant.grantId.slice(0, 16),
          dash(grant.grantee),
          operationsText(grant),
          grant.constraints ? JSON.stringify(grant.constraints) : "-",
          grant.from,
          ...rating.cell(grant),
          dash(grant.eventIds[0]),
        ]),
      },
    },
    { kind: "list", title: "Caveats", items: report.caveats },
  ];
}

export function keyHistoryBlocks(report: KeyHistoryReport): Block[] {
  // A grant the trail shows only being retired or revoked is not recorded: then its confidence gets a column.
  const rating = confidenceColumn(report.grants);
  const intervals = <T>(
    title: string,
    rows: { from: string; to: string | null; value: T; confidence: string; openedBy: string[] }[],
    show: (value: T) => string,
  ): Block => ({
    kind: "table",
    title,
    table: {
      headers: ["from .. to", "value", "confidence", "opened by"],
      rows: rows.map((row) => [
        span(row.from, row.to),
        show(row.value),
        row.confidence,
        dash(row.openedBy[0]),
      ]),
    },
  });
  return [
    { kind: "fields", title: `Key ${report.key.keyId}: history`, fields: identityFields(report) },
    intervals("States", report.states, (state) => state),
    intervals("Aliases", report.aliases, (alias) => alias),
    intervals("Policy versions", report.policies, (version) => `v${version}`),
    intervals("Rotation", report.rotation, (rotation) =>
      rotation.enabled ? `enabled${rotation.periodDays ? ` (${rotation.periodDays} d)` : ""}` : "disabled",
    ),
    intervals("Key material", report.material, (material) => `valid to ${dash(material.validTo)}`),
    intervals("Deletion dates", report.deletionDates, (date) => date),
    intervals("Descriptions", report.descriptions, (description) => dash(description)),
    intervals("Multi-Region roles", report.multiRegionRoles, (role) =>
      role.role === "PRIMARY" ? "PRIMARY" : `REPLICA of ${role.primaryArn}`,
    ),
    {
      kind: "table",
      title: "Grants",
      table: {
        headers: ["grant", "grantee", "operations", "from .. to", "ended", ...rating.header],
        rows: report.grants.map((grant) => [
          grant.grantId.slice(0, 16),
          dash(grant.grantee),
          operationsText(grant),
          span(grant.from, grant.to),
          dash(grant.closeReason),
          ...rating.cell(grant),
        ]),
      },
    },
    {
      kind: "table",
      title: "Management events",
      table: {
        headers: ["time", "event", "actor", "what changed", "eventId"],
        rows: report.events.map((event) => [
          event.time,
          event.error ? `${event.name} [${event.error}]` : event.name,
          event.actor,
          event.summary,
          dash(event.eventIds[0]),
        ]),
      },
    },
    { kind: "list", title: "Caveats", items: report.caveats },
  ];
}

const KEY_HISTORY_COLUMNS = [
  "section",
  "key.arn",
  "from",
  "to",
  "value",
  "confidence",
  "openedBy",
  "closedBy",
  "grantId",
  "grantee",
  "retiringPrincipal",
  "operations",
  "operationsKnown",
  "constraints",
  "name",
  "creator",
  "createdByService",
  "closeReason",
  "time",
  "rotationType",
  "actor",
  "summary",
  "error",
  "eventIds",
  "eventId",
] as const;
type KeyHistoryColumn = (typeof KEY_HISTORY_COLUMNS)[number];
type KeyHistoryRow = Record<KeyHistoryColumn, CsvValue>;

/**
 * `key <key> --format csv` (history): one row per entry of each list of the JSON, in its order (states,
 * aliases, grants, policies, rotation, rotations, material, deletionDates, descriptions, multiRegionRoles, tags,
 * events); `section` names the list. An interval's `value` is text or a number, or compact JSON for rotation,
 * material and multiRegionRoles.
 */
export function keyHistoryCsv(report: KeyHistoryReport): CsvTable<KeyHistoryColumn> {
  const blank = Object.fromEntries(KEY_HISTORY_COLUMNS.map((column) => [column, null])) as KeyHistoryRow;
  const row = (section: string, cells: Partial<KeyHistoryRow>): KeyHistoryRow => ({
    ...blank,
    section,
    "key.arn": report.key.arn,
    ...cells,
  });
  const intervals = <T>(
    section: string,
    list: readonly HistoryInterval<T>[],
    value: (value: T) => CsvValue,
  ) =>
    list.map((interval) =>
      row(section, {
        from: interval.from,
        to: interval.to,
        value: value(interval.value),
        confidence: interval.confidence,
        openedBy: idList(interval.openedBy),
        closedBy: idList(interval.closedBy),
      }),
    );
  const same = <T extends CsvValue>(value: T) => value;
  const grant = (entry: GrantSummary) =>
    row("grants", {
      ...entry,
      operations: idList(entry.operations),
      constraints: jsonCell(entry.constraints),
      eventIds: idList(entry.eventIds),
    });
  return {
    columns: KEY_HISTORY_COLUMNS,
    rows: [
      ...intervals("states", report.states, same),
      ...intervals("aliases", report.aliases, same),
      ...report.grants.map(grant),
      ...intervals("policies", report.policies, same),
      ...intervals("rotation", report.rotation, jsonCell),
      ...report.rotations.map((rotation) => row("rotations", rotation)),
      ...intervals("material", report.material, jsonCell),
      ...intervals("deletionDates", report.deletionDates, same),
      ...intervals("descriptions", report.descriptions, same),
      ...intervals("multiRegionRoles", report.multiRegionRoles, jsonCell),
      ...intervals("tags", report.tags, same),
      ...report.events.map((event) => row("events", { ...event, eventIds: idList(event.eventIds) })),
    ],
  };
}
