/**
 * Runs of timed items (sorted by time) in which each item follows the previous within `windowMs` and some
 * `windowMs` span holds at least `count` items: one burst per run, however long, rather than one per window.
 */
export function bursts<T extends { time: number }>(
  items: readonly T[],
  count: number,
  windowMs: number,
): T[][] {
  const found: T[][] = [];
  let start = 0;
  while (start < items.length) {
    let end = start;
    while (end + 1 < items.length && timeOf(items, end + 1) - timeOf(items, end) <= windowMs) end++;
    const run = items.slice(start, end + 1);
    if (densest(run, windowMs) >= count) found.push(run);
    start = end + 1;
  }
  return found;
}

function timeOf<T extends { time: number }>(items: readonly T[], index: number): number {
  return items[index]?.time ?? Number.NaN;
}

function densest<T extends { time: number }>(run: readonly T[], windowMs: number): number {
  let best = 0;
  let left = 0;
  for (let right = 0; right < run.length; right++) {
    while (timeOf(run, right) - timeOf(run, left) > windowMs) left++;
    best = Math.max(best, right - left + 1);
  }
  return best;
}

/** Groups items by a string key, keeping their order. */
export function groupBy<T>(items: Iterable<T>, keyOf: (item: T) => string | null): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    if (key === null) continue;
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}
