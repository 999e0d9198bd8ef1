/**
 * Parses every date form CloudTrail writes inside requestParameters/responseElements (and the eventTime
 * forms of exports), as UTC ms since epoch. Returns null for anything else: a bad date is data, not an error.
 */

// Above this a number is taken as epoch milliseconds: as seconds it would be past the year 5000.
const EPOCH_MS_THRESHOLD = 1e11;

// ISO 8601 and Panther's normalised `2026-01-11 22:54:56.000000000`; no zone means UTC.
const ISO_LIKE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

// The Java-style form KMS logs: `Aug 10, 2022, 10:38:27 PM`, `Jan 1, 2023 12:00:00 AM`, `Apr 12, 2021 18:58:30 PM`.
const MONTH_NAME =
  /^([A-Za-z]{3})[A-Za-z]*\.? (\d{1,2}),? (\d{4}),? (\d{1,2}):(\d{2}):(\d{2})(?:\s*([AaPp])\.?[Mm]\.?)?$/;

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

export function parseAwsDate(value: unknown): number | null {
  if (typeof value === "number") return fromEpoch(value);
  if (typeof value !== "string") return null;
  const canonical = parseCanonical(value);
  if (canonical !== undefined) return canonical;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return fromEpoch(Number(text));
  return parseIsoLike(text) ?? parseMonthName(text);
}

const ZERO = 48;

/** The number written by the digits at [start, end), or NaN when one is not a digit. */
function digits(text: string, start: number, end: number): number {
  let value = 0;
  for (let i = start; i < end; i++) {
    const digit = text.charCodeAt(i) - ZERO;
    if (digit < 0 || digit > 9) return Number.NaN;
    value = value * 10 + digit;
  }
  return value;
}

/**
 * CloudTrail's own eventTime form, `2024-06-01T23:49:00Z`, read without a regex because every record has
 * one; undefined when the text is not in exactly that form (the general parsers then decide).
 */
function parseCanonical(text: string): number | null | undefined {
  if (
    text.length !== 20 ||
    text[4] !== "-" ||
    text[7] !== "-" ||
    text[10] !== "T" ||
    text[13] !== ":" ||
    text[16] !== ":" ||
    text[19] !== "Z"
  )
    return undefined;
  // Each part alone, not an array of them: this runs once per record read.
  const y = digits(text, 0, 4);
  const mo = digits(text, 5, 7);
  const d = digits(text, 8, 10);
  const h = digits(text, 11, 13);
  const mi = digits(text, 14, 16);
  const s = digits(text, 17, 19);
  // NaN fails every comparison: one sum carries a non-digit from any part.
  if (Number.isNaN(y + mo + d + h + mi + s)) return undefined;
  return utc(y, mo, d, h, mi, s, 0);
}

/**
 * The last instant of year 9999: a number beyond it as milliseconds (microseconds, nanoseconds) is no time
 * CloudTrail writes, and past ±8.64e15 it is no time a Date can hold.
 */
const MAX_EPOCH_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

function fromEpoch(value: number): number | null {
  if (!Number.isFinite(value) || value < 0) return null;
  const ms = Math.round(value >= EPOCH_MS_THRESHOLD ? value : value * 1000);
  return ms <= MAX_EPOCH_MS ? ms : null;
}

function parseIsoLike(text: string): number | null {
  const m = ISO_LIKE.exec(text);
  if (!m) return null;
  const [, y, mo, d, h = "0", mi = "0", s = "0", fraction = "", zone = "Z"] = m;
  const ms = Number(fraction.slice(0, 3).padEnd(3, "0"));
  const local = utc(Number(y), Number(mo), Number(d), Number(h), Number(mi), Number(s), ms);
  return local === null ? null : local - zoneOffsetMs(zone);
}

function zoneOffsetMs(zone: string): number {
  if (zone.toUpperCase() === "Z") return 0;
  const sign = zone.startsWith("-") ? -1 : 1;
  const digits = zone.slice(1).replace(":", "");
  const hours = Number(digits.slice(0, 2));
  const minutes = Number(digits.slice(2) || "0");
  return sign * (hours * 60 + minutes) * 60_000;
}

function parseMonthName(text: string): number | null {
  const m = MONTH_NAME.exec(text);
  if (!m) return null;
  const [, name = "", d, y, h, mi, s, meridiem] = m;
  const month = MONTHS.indexOf(name.toLowerCase()) + 1;
  if (month === 0) return null;
  return utc(Number(y), month, Number(d), to24Hour(Number(h), meridiem), Number(mi), Number(s), 0);
}

/** KMS sometimes logs a 24-hour clock with a stray AM/PM (`18:58:30 PM`, `0:00:00 PM`): the hour wins. */
function to24Hour(hour: number, meridiem: string | undefined): number {
  if (meridiem === undefined || hour === 0 || hour > 12) return hour;
  const pm = meridiem.toUpperCase() === "P";
  if (hour === 12) return pm ? 12 : 0;
  return pm ? hour + 12 : hour;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/** Days in month `mo` (1-12) of year `y`, the year as Date.UTC reads it (0-99 are 1900-1999). */
function daysInMonth(y: number, mo: number): number {
  const year = y >= 0 && y <= 99 ? 1900 + y : y;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  return mo === 2 && leap ? 29 : (DAYS_IN_MONTH[mo - 1] ?? 0);
}

/** Date.UTC that refuses out-of-range parts instead of rolling them over (Feb 31 is not Mar 3). */
function utc(y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | null {
  if (mo < 1 || mo > 12 || d < 1 || d > daysInMonth(y, mo) || h > 23 || mi > 59 || s > 60) return null;
  return Date.UTC(y, mo - 1, d, h, mi, Math.min(s, 59), ms);
}
