/**
 * The candidates closest to what the user typed, for a "did you mean" hint: at most three, nearest first, each
 * at most a quarter of the typed length (and at least two) edits away. `shorten` picks the part of a name that
 * varies (a key id out of its ARN), applied to both sides.
 */
export function closestNames(
  typed: string,
  candidates: readonly string[],
  shorten: (name: string) => string = (name) => name.trim().toLowerCase(),
): string[] {
  const needle = shorten(typed);
  const limit = Math.max(2, Math.floor(needle.length / 4));
  return candidates
    .map((candidate) => ({ candidate, distance: editDistance(needle, shorten(candidate), limit) }))
    .filter(({ distance }) => distance <= limit)
    .sort((a, b) => a.distance - b.distance || a.candidate.localeCompare(b.candidate))
    .slice(0, 3)
    .map(({ candidate }) => candidate);
}

/** Levenshtein distance, giving up (returning limit + 1) once every path exceeds `limit`. */
function editDistance(a: string, b: string, limit: number): number {
  if (Math.abs(a.length - b.length) > limit) return limit + 1;
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    let best = i;
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      const value = Math.min(
        (previous[j] ?? 0) + 1,
        (current[j - 1] ?? 0) + 1,
        (previous[j - 1] ?? 0) + cost,
      );
      current.push(value);
      best = Math.min(best, value);
    }
    if (best > limit) return limit + 1;
    previous = current;
  }
  return previous[b.length] ?? limit + 1;
}
