import { loadCase } from "../pipeline/index.js";
import { usage } from "../query/index.js";
import { median } from "./bench-result.js";

/**
 * Times `usage --key` in process on a loaded case (the question alone, without start-up and reload): the first
 * call, which also finds the key's rows, the coverage gaps and the attributor's memo, and the median of
 * repeated calls.
 * Prints one JSON line; `ms` is the first call. Usage: node dist/bench/usage-main.js <case file> <key> [repeats]
 */
const [file, key, repeatArg] = process.argv.slice(2);
const repeats = Number(repeatArg ?? 5);

function timed<T>(run: () => T): { ms: number; value: T } {
  const started = performance.now();
  const value = run();
  return { ms: performance.now() - started, value };
}

if (!file || !key || !Number.isInteger(repeats) || repeats < 0) {
  process.stderr.write("usage: usage-main <case file> <key> [repeats]\n");
  process.exitCode = 1;
} else {
  const model = await loadCase({ case: file });
  const first = timed(() => usage(model, { key }));
  const again = Array.from({ length: repeats }, () => timed(() => usage(model, { key })).ms);
  process.stdout.write(
    `${JSON.stringify({ ms: first.ms, againMs: median(again), repeats, calls: first.value.totals.calls })}\n`,
  );
}
