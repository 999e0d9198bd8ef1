import { spawn } from "node:child_process";
import { createInterface } from "node:readline";
import { MISSING_TOOL_EXIT_CODE, prepareScript } from "./neo4j-scripts.js";
import { OutputTail } from "./output-tail.js";

export type PrepareResult = { ok: true } | { ok: false; missingTools: string };

/** A cold Maven download of ~130 MB of jars; generous because CI machines share their bandwidth. */
const PREPARE_TIMEOUT_MS = 15 * 60_000;

/**
 * Runs .ci/neo4j/prepare.sh (a no-op when the classpath is cached). Missing java/mvn is a result, since
 * the caller decides whether that skips or fails; any other failure throws with the script's output.
 */
export function prepareClasspath(): Promise<PrepareResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [prepareScript], {
      stdio: ["ignore", "pipe", "pipe"],
      timeout: PREPARE_TIMEOUT_MS,
    });
    const tail = new OutputTail();
    for (const stream of [child.stdout, child.stderr]) {
      createInterface({ input: stream }).on("line", (line) => tail.push(line));
    }
    child.once("error", reject);
    child.once("close", (code, signal) => {
      if (code === 0) resolve({ ok: true });
      else if (code === MISSING_TOOL_EXIT_CODE) resolve({ ok: false, missingTools: tail.toString() });
      else reject(new Error(`neo4j: ${prepareScript} failed (${signal ?? `exit ${code}`}):\n${tail}`));
    });
  });
}
