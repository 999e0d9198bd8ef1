import { iso } from "../resolve-key.js";
import { bursts } from "./bursts.js";
import { type FindingConfidence, keysFromAliasGround } from "./confidence.js";
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
 * so a burst is as sure as what the detector read into its calls (`confidence`), whatever the thresholds.
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
    ...confidence,
  };
}

/**
 * The ground a burst's keys give it, for a detector whose burst depends on which key its calls were on: when
 * some calls' keys came from the alias history and the logged calls alone make no burst, it rests on them.
 */
export function aliasKeysGround(
  calls: readonly BurstCall[],
  count: number,
  windowMs: number,
): FindingConfidence | null {
  const fromAlias = calls.filter((call) => call.keyFromAlias).length;
  if (fromAlias === 0) return null;
  const logged = calls.filter((call) => !call.keyFromAlias);
  return bursts(logged, count, windowMs).length > 0 ? null : keysFromAliasGround(fromAlias);
}
