import { normalizerFor } from "./registry.js";

/** The fields the filter reads: of a parsed record, or of the facts read from its text before parsing. */
interface CallFields {
  eventSource?: unknown;
  eventName?: unknown;
  eventTime?: unknown;
  eventType?: unknown;
}

/** CloudTrail Insights events sum up unusual call rates, and name their call only inside insightDetails. */
const INSIGHT_EVENT_TYPE = "AwsCloudTrailInsight";

/**
 * The early filter run on every input record: KMS records, CloudTrail's own configuration calls and STS
 * AssumeRole*. A record lacking eventSource, eventName or eventTime is kept too, so that normalizeRecord
 * reports it instead of it vanishing; an Insights event, which lacks them for being no call, is not.
 */
export function isRelevantRecord(record: CallFields): boolean {
  const { eventSource, eventName, eventTime } = record;
  if (record.eventType === INSIGHT_EVENT_TYPE) return false;
  if (!isPresent(eventSource) || !isPresent(eventName) || !isPresent(eventTime)) return true;
  if (typeof eventSource !== "string" || typeof eventName !== "string") return true;
  return normalizerFor(eventSource, eventName) !== undefined;
}

export function isPresent(value: unknown): boolean {
  return value !== undefined && value !== null && value !== "";
}
