import { normalizerFor } from "./registry.js";

/** The fields coverage needs of a record dropped before it was parsed. */
export interface DroppedRecordFacts {
  eventTime: string;
  recipientAccountId: string | undefined;
  awsRegion: string | undefined;
}

const field = (name: string) => new RegExp(`"${name}"\\s*:\\s*"([^"\\\\]*)"`);
const EVENT_SOURCE = field("eventSource");
const EVENT_NAME = field("eventName");
const EVENT_TIME = field("eventTime");
const ACCOUNT = field("recipientAccountId");
const REGION = field("awsRegion");

/** The value of a field that occurs exactly once in the text, or undefined. */
function single(text: string, pattern: RegExp): string | undefined {
  const match = pattern.exec(text);
  if (!match) return undefined;
  const again = text.indexOf(match[0].slice(0, match[0].indexOf(":")), match.index + 1);
  return again === -1 ? match[1] : undefined;
}

/**
 * Most records of a trail are not KMS: this decides from a record's raw JSON text, before JSON.parse, that it
 * is irrelevant (the same table `isRelevantRecord` uses), and returns what coverage needs of it. It answers
 * only when eventSource and eventName each occur once, unescaped: anything unusual returns null, and the
 * record is parsed and judged as usual.
 */
export function irrelevantRecordText(text: string): DroppedRecordFacts | null {
  const source = single(text, EVENT_SOURCE);
  const name = source === undefined ? undefined : single(text, EVENT_NAME);
  if (source === undefined || name === undefined || normalizerFor(source, name) !== undefined) return null;
  const eventTime = EVENT_TIME.exec(text)?.[1];
  // Without an eventTime the record is kept, so that normalization reports it (as isRelevantRecord does).
  if (!eventTime) return null;
  return { eventTime, recipientAccountId: ACCOUNT.exec(text)?.[1], awsRegion: REGION.exec(text)?.[1] };
}
