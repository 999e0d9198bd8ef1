import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import { gunzipSync } from "node:zlib";

/**
 * The single-thread floor, run as its own process by run-bench: gunzip and JSON.parse every .json.gz file
 * under the trail, one after the other, and nothing else. No ingest can beat it without more threads.
 * Usage: node dist/bench/floor-main.js <trail dir>
 */
async function floor(dir: string): Promise<{ files: number; records: number; bytes: number }> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  const files = entries
    .filter((entry) => entry.isFile() && entry.name.endsWith(".json.gz"))
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
  let records = 0;
  let bytes = 0;
  for (const file of files) {
    const body = await readFile(file);
    bytes += body.length;
    const parsed = JSON.parse(gunzipSync(body).toString("utf8")) as { Records?: unknown[] };
    records += parsed.Records?.length ?? 0;
  }
  return { files: files.length, records, bytes };
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write("usage: floor-main <trail dir>\n");
  process.exitCode = 1;
} else {
  const started = performance.now();
  const counts = await floor(dir);
  process.stdout.write(`${JSON.stringify({ ...counts, ms: performance.now() - started })}\n`);
}
