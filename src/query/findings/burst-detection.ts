import { iso } from "../resolve-key.js";
import { type FindingConfidence, keysFromAliasGround, weakest } from "./confidence.js";
import type { Detection, Severity } from "./detector.js";

/** A call that took part in a burst: enough to cite it and to size the burst's blast radius. */
export interface BurstCall {
  time: number;
  eventIds: string[];
  operation: string;
  keys: string[];
  account: string;
  region: string;
  /** The call's key came from the alias history, not its record (usage's keyFromAlias) */
  keyFromAlias: boolean;
}

/**
 * One detection for one burst of calls by one principal; `what` says what the calls were. Every call is cited,
 * so a burst is as sure as what the detector read into its calls (`confidence`), whatever the thresholds, and
 * as the keys it names: inferred when some call's key came from the alias history.
 */
export function burstDetection(
  principal: string,
  calls: readonly BurstCall[],
  severity: Severity,
  what: string,
  confidence: FindingConfidence,
): Detection {
  const first = calls[0];
  const last = calls.at(-1);
  const operations = [...new Set(calls.map((call) => call.operation))].join(", ");
  const keys = [...new Set(calls.flatMap((call) => call.keys))];
  const from = first?.time ?? 0;
  const to = last?.time ?? from;
  return {
    severity,
    time: from,
    account: first?.account ?? "",
    region: first?.region ?? "",
    explanation: `${calls.length} ${what} (${operations}) by ${principal} between ${iso(from)} and ${iso(to)} on ${keys.length} key(s)`,
    eventIds: calls.flatMap((call) => call.eventIds),
    keys,
    principals: [principal],
    usageWindow: { from, to: to + 1 },
    ...weakest(confidence, keysFromAliasGround(calls.filter((call) => call.keyFromAlias).length)),
  };
}
