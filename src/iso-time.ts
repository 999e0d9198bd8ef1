/**
 * The times users type (--at, --from, --to, `neo4j query --param at=`): ISO 8601, a date alone or a date and a
 * clock reading, with a zone or without one (UTC). Shared so that every command reads a time the same way.
 */
const ISO_TIME = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Whether `value` has the shape of such a time (what parseIsoTime may still refuse: 2024-02-30). */
export function looksLikeIsoTime(value: string): boolean {
  return ISO_TIME.test(value);
}

/** Date.parse rolls 2024-02-30 over into March: a time must name a day and clock reading that exist. */
function isCalendarTime(value: string): boolean {
  const [, year, month, day, hour = "0", minute = "0", second = "0"] =
    /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2})(?::(\d{2}))?)?/.exec(value) ?? [];
  const date = new Date(Date.UTC(Number(year), Number(month) - 1, Number(day)));
  return (
    date.getUTCFullYear() === Number(year) &&
    date.getUTCMonth() === Number(month) - 1 &&
    date.getUTCDate() === Number(day) &&
    Number(hour) < 24 &&
    Number(minute) < 60 &&
    Number(second) < 60
  );
}

/** Milliseconds since the epoch, or null for text that is not such a time or names one that does not exist. */
export function parseIsoTime(value: string): number | null {
  if (!looksLikeIsoTime(value)) return null;
  const withZone = /T.*(Z|[+-]\d{2}:?\d{2})$/.test(value) || !value.includes("T") ? value : `${value}Z`;
  const time = Date.parse(withZone);
  return Number.isNaN(time) || !isCalendarTime(value) ? null : time;
}
