import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { z } from "zod";
import { generateTrail } from "../generate/index.js";
import { type CaseData, CaseModel, graphRows, readCaseFile } from "../model/index.js";
import { DEFAULT_BATCH_SIZE, neo4jOptionsFrom, openDriver, pushGraph } from "../neo4j/index.js";
import { replayInputs } from "../pipeline/index.js";
import { computeGaps } from "../query/index.js";

/**
 * Neo4j push benchmark (not a test): pushes a case's model and prints the push rate in nodes+relationships per
 * second as one JSON line. Goal: >= 20k/s for a 1M-record trail. The case is a case file (`--case`), a trail
 * replayed on the fly (`--input <dir>`), or a trail of `--records` records generated (`keytrail generate`) into a
 * temp dir and replayed. Push into an empty database (a fresh server): on one that holds keytrail nodes the
 * push MERGEs, which measures a re-push instead.
 * Run: node dist/bench/neo4j-push.js --uri bolt://127.0.0.1:7687 [--case f | --input dir | --records 100000]
 *   [--batch 5000]
 */
const argsSchema = z.object({
  records: z.coerce.number().int().min(1).default(100_000),
  batch: z.coerce.number().int().min(1).default(DEFAULT_BATCH_SIZE),
  case: z.string().min(1).optional(),
  input: z.string().min(1).optional(),
});
type Args = z.infer<typeof argsSchema>;

/** The case to push, and where it came from (for the output line). */
async function benchCase(args: Args): Promise<{ data: CaseData; source: Record<string, unknown> }> {
  if (args.case) return { data: (await readCaseFile(args.case)).data, source: { case: args.case } };
  if (args.input) return { data: await replayInputs([args.input]), source: { input: args.input } };
  const dir = await mkdtemp(join(tmpdir(), "keytrail-push-bench-"));
  try {
    await generateTrail({ out: dir, records: args.records });
    return { data: await replayInputs([dir]), source: { records: args.records } };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

const { values } = parseArgs({
  options: {
    uri: { type: "string" },
    user: { type: "string" },
    password: { type: "string" },
    database: { type: "string" },
    records: { type: "string" },
    batch: { type: "string" },
    case: { type: "string" },
    input: { type: "string" },
  },
});
const args = argsSchema.parse(values);
const connection = neo4jOptionsFrom(values, process.env);
const modelStarted = performance.now();
const { data, source } = await benchCase(args);
const rows = graphRows(data, computeGaps(new CaseModel(data)));
const modelMs = performance.now() - modelStarted;
const driver = await openDriver(connection);
try {
  const result = await pushGraph(driver, rows, { database: connection.database, batchSize: args.batch });
  const line = {
    ...source,
    usageRows: data.usage.size,
    modelMs: Math.round(modelMs),
    ...result,
    ms: Math.round(result.ms),
    schemaMs: Math.round(result.schemaMs),
    rate: Math.round(result.rate),
  };
  process.stdout.write(`${JSON.stringify(line)}\n`);
} finally {
  await driver.close();
}
