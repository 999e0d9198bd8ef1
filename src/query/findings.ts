import { normalizePrincipal } from "../events/index.js";
import type { CaseModel, Confidence, ManagementEvent } from "../model/index.js";
import {
  DEFAULT_THRESHOLDS,
  type Detection,
  type FindingThresholds,
  type Severity,
} from "./findings/detector.js";
import { DETECTORS, type DetectorName } from "./findings/detectors.js";
import { type UsageSummary, usageSummary } from "./findings/usage-summary.js";
import { gapCaveats } from "./gaps.js";
import { askedPrincipal, principalFilter } from "./principal-filter.js";
import { iso } from "./resolve-key.js";

export interface FindingsOptions {
  /** Only findings at or after this time (ms) */
  from?: number;
  /** Only findings before this time (ms) */
  to?: number;
  thresholds?: Partial<FindingThresholds>;
  /** Only findings whose blast radius holds this key ARN */
  key?: string | undefined;
  /**
   * Only findings whose blast radius holds this principal, as usage's --principal matches one: an account id
   * means every principal of it, a session ARN its role
   */
  principal?: string | undefined;
}

/** One suspicious pattern, as `findings --format json` prints it (docs/cli.md). */
export interface Finding {
  detector: DetectorName;
  title: string;
  severity: Severity;
  time: string;
  account: string;
  region: string;
  explanation: string;
  eventIds: string[];
  /** How well those records show it: recorded, or inferred/unknown with the reason (docs/findings.md#confidence) */
  confidence: Confidence;
  /** Why it is not recorded, in one sentence; null when it is */
  confidenceReason: string | null;
  blastRadius: {
    keys: string[];
    principals: string[];
    usage: Omit<UsageSummary, "from" | "to"> & { from: string; to: string | null };
  };
  caveats: string[];
}

export interface FindingsReport {
  from: string | null;
  to: string | null;
  thresholds: FindingThresholds;
  counts: Record<Severity, number>;
  findings: Finding[];
}

const SEVERITY_ORDER: Record<Severity, number> = { critical: 0, high: 1, medium: 2, low: 3 };

/**
 * Runs every detector over the case and keeps the findings in [from, to), about the key or principal asked if
 * any, with evidence, in time order.
 */
export function findings(model: CaseModel, options: FindingsOptions = {}): FindingsReport {
  const thresholds = { ...DEFAULT_THRESHOLDS, ...options.thresholds };
  const eventsById = new Map<string, ManagementEvent>();
  for (const event of model.data.events) {
    for (const id of [event.eventId, ...event.alsoEventIds]) eventsById.set(id, event);
  }
  const from = options.from ?? -Infinity;
  const to = options.to ?? Infinity;
  const context = { model, thresholds, eventsById, key: options.key, window: { from, to } };
  const about = askedAbout(model, options.principal);
  const found = (Object.keys(DETECTORS) as DetectorName[])
    .flatMap((name) => DETECTORS[name].detect(context).map((detection) => ({ name, detection })))
    .filter(
      ({ detection }) =>
        detection.eventIds.length > 0 &&
        detection.time >= from &&
        detection.time < to &&
        (options.key === undefined || detection.keys.includes(options.key)) &&
        (about === null || about(detection)),
    )
    .map(({ name, detection }) => finding(model, name, detection))
    .sort(
      (a, b) =>
        a.time.localeCompare(b.time) ||
        SEVERITY_ORDER[a.severity] - SEVERITY_ORDER[b.severity] ||
        a.detector.localeCompare(b.detector),
    );
  const counts: Record<Severity, number> = { critical: 0, high: 0, medium: 0, low: 0 };
  for (const item of found) counts[item.severity]++;
  return {
    from: options.from === undefined ? null : iso(options.from),
    to: options.to === undefined ? null : iso(options.to),
    thresholds,
    counts,
    findings: found,
  };
}

/**
 * Whether a finding is about the principal asked (null: none asked): one of its principals is it, or its account,
 * or `*` while the principal is of another account than the finding's (a policy opened to outsiders). Findings
 * name principals as replay normalizes them, without the session of a call: a session ARN asked means its role
 * (DESIGN §8).
 */
function askedAbout(
  model: CaseModel,
  principal: string | undefined,
): ((detection: Detection) => boolean) | null {
  if (principal === undefined) return null;
  const asked = askedPrincipal(principal);
  const matches = principalFilter(model, asked);
  const account = normalizePrincipal(asked).account;
  return (detection) =>
    detection.principals.some(
      (id) =>
        id === account ||
        (id === "*" && account !== null && account !== detection.account) ||
        matches(id, null, null),
    );
}

function finding(model: CaseModel, name: DetectorName, detection: Detection): Finding {
  const spec = DETECTORS[name];
  const usage = usageSummary(model, detection.keys, detection.usageWindow);
  return {
    detector: name,
    title: spec.title,
    severity: detection.severity,
    time: iso(detection.time),
    account: detection.account,
    region: detection.region,
    explanation: detection.explanation,
    eventIds: [...new Set(detection.eventIds)],
    confidence: detection.confidence,
    confidenceReason: detection.confidenceReason,
    blastRadius: {
      keys: [...new Set(detection.keys)],
      principals: [...new Set(detection.principals)],
      usage: { ...usage, from: iso(usage.from), to: usage.to === null ? null : iso(usage.to) },
    },
    caveats: spec.gapCaveats ? gapCaveats(model, detection.account, detection.region, detection.time) : [],
  };
}
