import { SingleBar } from "cli-progress";
import type { PushProgress } from "../../../neo4j/index.js";

/** A progress bar on stderr while rows are written, only on a terminal and not under CI. */
export function pushProgressBar(): { update: (progress: PushProgress) => void; stop: () => void } | null {
  if (!process.stderr.isTTY || process.env.CI) return null;
  const bar = new SingleBar({
    stream: process.stderr,
    format: "neo4j {bar} {value}/{total} nodes+relationships | {percentage}% | {eta_formatted} left",
    hideCursor: true,
    clearOnComplete: true,
  });
  let started = false;
  return {
    update(progress) {
      if (!started) {
        bar.start(progress.total, progress.done);
        started = true;
      }
      bar.update(progress.done);
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
