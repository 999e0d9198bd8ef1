import { UsageError } from "../errors.js";
import type { CaseModel } from "../model/index.js";
import type { FindingsReport } from "./findings.js";
import { findings } from "./findings.js";
import type { GapsReport } from "./gaps.js";
import { gapCaveatsInWindow, gapsInWindow, gapsReport } from "./gaps.js";
import type { KeyHistoryReport } from "./key-report.js";
import { keyHistory } from "./key-report.js";
import type { ReachReport } from "./reach.js";
import { reach } from "./reach.js";
import type { CoverageRow } from "./replay-summary.js";
import { caseSpan, coverageRows, spanText } from "./replay-summary.js";
import { iso } from "./resolve-key.js";
import { resolveKeys } from "./resolve-keys.js";
import type { TimelineReport } from "./timeline.js";
import { timeline } from "./timeline.js";
import type { UsageReport } from "./usage.js";
import { usage } from "./usage.js";
import type { WhoCanReport } from "./who-can.js";
import { whoCanAt } from "./who-can.js";

/** What the report is about: one key, one principal, or only the window. */
export type ReportSubject = { key: string } | { principal: string } | { window: true };

interface ReportRequest {
  subject: ReportSubject;
  /** Half-open window [from, to), ms; either bound may be absent (the whole trail) */
  from?: number | undefined;
  to?: number | undefined;
  /** Passed in so that the same case and question always give the same report */
  generatedAt: number;
}

/** who-can on the key at one instant, and why that instant was chosen. */
interface WhoCanSnapshot {
  reason: "policy-change" | "report-end";
  eventIds: string[];
  report: WhoCanReport;
}

/** `report` (DESIGN §8): every part is the output of an existing query, limited to the subject and window. */
export interface Report {
  header: {
    subject: "key" | "principal" | "window";
    asked: string;
    from: string | null;
    to: string | null;
    generatedAt: string;
    span: { from: string | null; to: string | null };
    coverage: CoverageRow[];
  };
  key: { history: KeyHistoryReport; whoCan: WhoCanSnapshot[] } | null;
  reach: ReachReport | null;
  findings: FindingsReport;
  gaps: GapsReport;
  usage: UsageReport;
  timeline: TimelineReport;
  /** Every caveat of every part, once each */
  caveats: string[];
}

interface Window {
  from: number;
  to: number;
}

function askedText(subject: ReportSubject): string {
  if ("key" in subject) return `key ${subject.key}`;
  if ("principal" in subject) return `principal ${subject.principal}`;
  return "window";
}

function keySection(model: CaseModel, history: KeyHistoryReport, window: Window, end: number) {
  const changes = history.policies.filter((policy) => {
    const t = Date.parse(policy.from);
    return t >= window.from && t < window.to;
  });
  const whoCan: WhoCanSnapshot[] = [
    ...changes.map((policy) => ({
      reason: "policy-change" as const,
      eventIds: policy.openedBy,
      report: whoCanAt(model, history.key.arn, Date.parse(policy.from)),
    })),
    { reason: "report-end", eventIds: [], report: whoCanAt(model, history.key.arn, end) },
  ];
  return { history, whoCan };
}

/**
 * Asked about one session, usage, timeline and reach answer for that session, but findings name principals as
 * replay normalizes them (the role) and sample their evidence, so they cannot be narrowed to one session
 * honestly: the report says that its findings are the role's.
 */
function findingsScope(reached: ReachReport | null): string[] {
  if (reached?.session === undefined) return [];
  return [
    `findings are about ${reached.principal} as a whole (every session): a finding does not record which session its calls came from, while usage, timeline and reach here are about session ${reached.session} only`,
  ];
}

/** The key a report is about: an alias resolves over the report's window, as usage resolves it, and must name one. */
function reportKey(model: CaseModel, name: string, request: ReportRequest): string {
  const keys = resolveKeys(model, name, request.from, request.to, "report");
  const [key] = keys;
  if (keys.length === 1 && key) return key.arn;
  const arns = keys.map((candidate) => candidate.arn);
  throw new UsageError(`report: "${name}" names ${keys.length} keys in the report's window`, {
    hint: `narrow --from/--to, or name one by ARN: ${arns.join(", ")}`,
    context: { candidates: arns },
  });
}

export function report(model: CaseModel, request: ReportRequest): Report {
  const span = caseSpan(model.data);
  const window = { from: request.from ?? -Infinity, to: request.to ?? Infinity };
  // who-can and reach need instants: the window's bounds, else the trail's span. The window is half-open, so
  // its end is the last millisecond before --to: a change logged at --to is after the report, as elsewhere in it.
  const end = request.to === undefined ? (span.to ?? 0) : request.to - 1;
  const bounds = { from: request.from, to: request.to };
  const { subject } = request;

  const history = "key" in subject ? keyHistory(model, reportKey(model, subject.key, request)) : null;
  const key = history ? keySection(model, history, window, end) : null;
  const reached =
    "principal" in subject
      ? reach(model, subject.principal, { from: request.from ?? span.from ?? 0, to: end })
      : null;
  const keyArn = history?.key.arn;
  const principal = reached?.principal;
  const query = { ...bounds, key: keyArn, principal: "principal" in subject ? subject.principal : undefined };

  const found = findings(model, { ...bounds, key: keyArn, principal });
  const places = history ? [{ account: history.key.account, region: history.key.region }] : null;
  // A key's report keeps, of the key-specific gaps, its own; the other reports keep every key's.
  const gaps = gapsReport(
    model,
    {},
    gapsInWindow(model, window.from, window.to, places).filter(
      (gap) => keyArn === undefined || gap.keyArn === null || gap.keyArn === keyArn,
    ),
  );
  const used = usage(model, query);
  const events = timeline(model, query);

  const caveats = [
    ...(history?.caveats ?? []),
    ...(key?.whoCan.flatMap((snapshot) => snapshot.report.caveats) ?? []),
    ...(reached?.caveats ?? []),
    ...findingsScope(reached),
    ...found.findings.flatMap((finding) => finding.caveats),
    // usage repeats these, but after its own notes: here they come first, as the window's own caveats.
    ...gapCaveatsInWindow(model, window.from, window.to, places),
    ...used.caveats,
    ...events.caveats,
  ];
  return {
    header: {
      subject: "key" in subject ? "key" : "principal" in subject ? "principal" : "window",
      asked: askedText(subject),
      from: request.from === undefined ? null : iso(request.from),
      to: request.to === undefined ? null : iso(request.to),
      generatedAt: iso(request.generatedAt),
      span: spanText(span),
      coverage: coverageRows(model.data.coverage),
    },
    key,
    reach: reached,
    findings: found,
    gaps,
    usage: used,
    timeline: events,
    caveats: [...new Set(caveats)],
  };
}
