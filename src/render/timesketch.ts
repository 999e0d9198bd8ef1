import type { TimelineEntry, TimelineReport } from "../query/index.js";

/**
 * Timesketch's JSONL import: one object a line with `message`, `datetime` (ISO 8601) and `timestamp_desc`,
 * every other field a flat attribute (strings, numbers, booleans: lists are joined with commas).
 */
export type TimesketchLine = Record<string, string | number | boolean>;

const TIMESTAMP_DESC: Record<TimelineEntry["kind"], string> = {
  event: "Event Time",
  state: "Inferred Change Time",
  usage: "First Call Time",
};

export function timesketchLine(entry: TimelineEntry): TimesketchLine {
  const millis = Date.parse(entry.time);
  const actor = entry.actor ? ` by ${entry.actor}` : "";
  const line: TimesketchLine = {
    message: entry.kind === "usage" ? entry.summary : `${entry.name}${actor}: ${entry.summary}`,
    datetime: entry.time,
    timestamp: millis * 1000,
    timestamp_desc: TIMESTAMP_DESC[entry.kind],
    data_type: `aws:kms:keytrail:${entry.kind}`,
    event_name: entry.name,
    confidence: entry.confidence,
    account: entry.account,
    region: entry.region,
    key_arns: entry.keys.join(","),
    // A state line is no call: it has no outcome of its own.
    outcome: entry.kind === "state" ? "n/a" : (entry.error ?? "success"),
    count: entry.count,
    event_ids: entry.eventIds.join(","),
    event_ids_omitted: entry.eventIdsOmitted,
  };
  if (entry.actor) line.actor = entry.actor;
  if (entry.sessions.length) line.session_names = entry.sessions.join(",");
  if (entry.invokedBy) line.invoked_by = entry.invokedBy;
  if (entry.sourceIp) line.source_ip = entry.sourceIp;
  if (entry.end) line.run_end = entry.end;
  return line;
}

/** The whole timeline as JSONL, ready for `timesketch_importer` or the upload dialog (file name *.jsonl). */
export function timesketchLines(report: TimelineReport): string {
  return report.entries.map((entry) => `${JSON.stringify(timesketchLine(entry))}\n`).join("");
}
