import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { generateTrail } from "../generate/index.js";
import { CaseModel, graphRows } from "../model/index.js";
import { DEFAULT_BATCH_SIZE, neo4jOptionsFrom, openDriver, pushGraph } from "../neo4j/index.js";
import { replayInputs } from "../pipeline/index.js";
import { computeGaps } from "../query/index.js";

/**
 * Neo4j push benchmark (not a test): generates a trail (`keytrail generate`), replays it, and pushes its model,
 * printing the push rate in nodes+relationships per second as one JSON line. Goal: >= 20k/s for a
 * 1M-record trail. Push into an empty database: rows MERGE into whatever is there.
 * Run: node dist/bench/neo4j-push.js --uri bolt://127.0.0.1:7687 [--records 100000] [--batch 5000]
 */
const argsSchema = z.object({
  records: z.coerce.number().int().min(1).default(100_000),
  batch: z.coerce.number().int().min(1).default(DEFAULT_BATCH_SIZE),
});

const { values } = parseArgs({
  options: {
    uri: { type: "string" },
    user: { type: "string" },
    password: { type: "string" },
    database: { type: "string" },
    records: { type: "string" },
    batch: { type: "string" },
  },
});
const args = argsSchema.parse(values);
const connection = neo4jOptionsFrom(values, process.env);
const dir = await mkdtemp(join(tmpdir(), "keytrail-push-bench-"));
try {
  await generateTrail({ out: dir, records: args.records });
  const replayStarted = performance.now();
  const data = await replayInputs([dir]);
  const rows = graphRows(data, computeGaps(new CaseModel(data)));
  const modelMs = performance.now() - replayStarted;
  const driver = await openDriver(connection);
  try {
    const result = await pushGraph(driver, rows, { database: connection.database, batchSize: args.batch });
    const line = {
      records: args.records,
      usageRows: data.usage.size,
      modelMs: Math.round(modelMs),
      ...result,
    };
    process.stdout.write(
      `${JSON.stringify({ ...line, ms: Math.round(result.ms), rate: Math.round(result.rate) })}\n`,
    );
  } finally {
    await driver.close();
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
