import type { IngestProgress } from "./types.js";

/** The CLI redraws a bar from this; more often than ~10 times a second only costs time. */
export const PROGRESS_INTERVAL_MS = 100;

/**
 * Wraps a progress callback so `tick` calls it at most once per interval, and `flush` once more with the
 * final totals. `now` is injectable so tests need no real clock.
 */
export function throttleProgress(
  report: ((progress: IngestProgress) => void) | undefined,
  totals: () => IngestProgress,
  now: () => number = Date.now,
): { tick(): void; flush(): void } {
  let last = Number.NEGATIVE_INFINITY;
  return {
    tick(): void {
      if (report === undefined) return;
      const time = now();
      if (time - last < PROGRESS_INTERVAL_MS) return;
      last = time;
      report(totals());
    },
    flush(): void {
      report?.(totals());
    },
  };
}
