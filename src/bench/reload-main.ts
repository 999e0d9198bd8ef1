import { loadCase } from "../pipeline/index.js";

/**
 * Times `loadCase({case})` in a fresh process (what every query on a case file pays first). Prints one JSON
 * line. Usage: node dist/bench/reload-main.js <case file>
 */
const file = process.argv[2];
if (!file) {
  process.stderr.write("usage: reload-main <case file>\n");
  process.exitCode = 1;
} else {
  const started = performance.now();
  const model = await loadCase({ case: file });
  const ms = performance.now() - started;
  process.stdout.write(`${JSON.stringify({ ms, loaded: model !== null })}\n`);
}
