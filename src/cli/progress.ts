import { SingleBar } from "cli-progress";
import type { IngestProgress } from "../ingest/index.js";

/**
 * A progress bar on stderr while logs are read, only when stderr is a terminal and not under CI, so piped
 * and machine-readable output stays clean.
 */
export function ingestProgressBar(): { update: (progress: IngestProgress) => void; stop: () => void } | null {
  if (!process.stderr.isTTY || process.env.CI) return null;
  const started = Date.now();
  const bar = new SingleBar(
    {
      stream: process.stderr,
      format:
        "reading {bar} {value}/{total} files | {records} records | {rate} rec/s | {dropped} not KMS | {issues} issues",
      hideCursor: true,
      clearOnComplete: true,
    },
    undefined,
  );
  let startedBar = false;
  return {
    update(progress) {
      const seconds = Math.max((Date.now() - started) / 1000, 0.001);
      const payload = {
        records: progress.records + progress.dropped,
        rate: Math.round((progress.records + progress.dropped) / seconds),
        dropped: progress.dropped,
        issues: progress.issues,
      };
      if (!startedBar) {
        bar.start(progress.filesTotal, progress.filesDone, payload);
        startedBar = true;
      }
      bar.setTotal(progress.filesTotal);
      bar.update(progress.filesDone, payload);
    },
    stop() {
      if (startedBar) bar.stop();
    },
  };
}
