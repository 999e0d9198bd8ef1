import type { Interval } from "./types.js";

/** Whether `t` falls in the half-open interval [from, to). */
export function holdsAt(interval: { from: number; to: number | null }, t: number): boolean {
  return interval.from <= t && (interval.to === null || t < interval.to);
}

/**
 * The interval holding at `t` in a list ordered by `from` and not overlapping (the shape replay produces),
 * found by binary search so a key with a long history answers in O(log n).
 */
export function intervalAt<I extends { from: number; to: number | null }>(
  intervals: readonly I[],
  t: number,
): I | null {
  let lo = 0;
  let hi = intervals.length - 1;
  let candidate: I | null = null;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const interval = intervals[mid] as I;
    if (interval.from <= t) {
      candidate = interval;
      lo = mid + 1;
    } else {
      hi = mid - 1;
    }
  }
  return candidate && holdsAt(candidate, t) ? candidate : null;
}

/** All intervals of a list (in any order, possibly overlapping) that hold at `t`. */
export function allAt<I extends { from: number; to: number | null }>(
  intervals: readonly I[],
  t: number,
): I[] {
  return intervals.filter((interval) => holdsAt(interval, t));
}

/** Closes the last interval of a list at `t` (if open) and opens a new one with `value`. */
export function transition<T>(
  intervals: Interval<T>[],
  t: number,
  value: T,
  eventIds: string[],
  confidence: Interval<T>["confidence"],
): Interval<T> {
  const last = intervals.at(-1);
  if (last && last.to === null) {
    last.to = t;
    last.closedBy = eventIds;
  }
  const next: Interval<T> = { from: t, to: null, value, openedBy: eventIds, closedBy: [], confidence };
  intervals.push(next);
  return next;
}

/** Closes the last interval of a list at `t` without opening another. */
export function closeLast<T>(intervals: Interval<T>[], t: number, eventIds: string[]): void {
  const last = intervals.at(-1);
  if (last && last.to === null) {
    last.to = t;
    last.closedBy = eventIds;
  }
}
