import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { Driver } from "neo4j-driver";
import { z } from "zod";
import { generateTrail } from "../generate/index.js";
import { type CaseData, CaseModel, graphRows, readCaseFile } from "../model/index.js";
import {
  clearDatabase,
  DEFAULT_BATCH_SIZE,
  type Neo4jOptions,
  neo4jOptionsFrom,
  openDriver,
  type PushResult,
  prepareClasspath,
  pushGraph,
  sessionConfig,
  startTempNeo4j,
  type TempNeo4j,
} from "../neo4j/index.js";
import { replayInputs } from "../pipeline/index.js";
import { computeGaps } from "../query/index.js";

/**
 * Neo4j push benchmark (not a test): pushes a case's model and prints the push rate in nodes+relationships per
 * second as one JSON line. Goal: >= 20k/s for a 1M-record trail. The case is a case file (`--case`), a trail
 * replayed on the fly (`--input <dir>`), or a trail of `--records` records generated (`keytrail generate`) into a
 * temp dir and replayed. Without `--uri` (or NEO4J_URI) it starts its own embedded server (.ci/neo4j/start.sh)
 * with JVM flags for loading (`--java-opts`, default LOAD_JAVA_OPTS) on a free port in a temp dir, and stops
 * it after the push. With `--uri`, push into an empty database (a fresh server): on one that holds keytrail
 * nodes the push MERGEs, which measures a re-push instead.
 * `--rounds N` pushes N times into the same server, emptying the database in between: the later rounds measure
 * a warm server (statements planned and compiled), one JSON line each.
 * Run: node dist/bench/neo4j-push.js [--uri bolt://127.0.0.1:7687 | --java-opts="-Xmx4g …"]
 *   [--case f | --input dir | --records 100000] [--batch 5000] [--rounds 1]
 */
/**
 * JVM flags for a bulk load rather than for tests: a 4 GB heap and the throughput collector. Still C1 only:
 * on the 2 shared cores, tiered C2 doubled the server's CPU during a ~20 s push (its compiler threads) and
 * halved the rate; see docs/neo4j.md "Push rate" for the configurations measured.
 */
const LOAD_JAVA_OPTS = "-Xms4g -Xmx4g -XX:+UseParallelGC -XX:TieredStopAtLevel=1";

const argsSchema = z.object({
  records: z.coerce.number().int().min(1).default(100_000),
  batch: z.coerce.number().int().min(1).default(DEFAULT_BATCH_SIZE),
  case: z.string().min(1).optional(),
  input: z.string().min(1).optional(),
  "java-opts": z.string().min(1).default(LOAD_JAVA_OPTS),
  rounds: z.coerce.number().int().min(1).default(1),
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

/** Milliseconds and rates as whole numbers, for the output line. */
function roundedTimes(result: PushResult): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(result).map(([name, value]) => [
      name,
      typeof value === "number" ? Math.round(value) : value,
    ]),
  );
}

/**
 * CPU time (user + system, ms) a process has used so far, from /proc (Linux), or undefined elsewhere. On a
 * machine shared with other work, CPU per relationship varies far less than the wall-clock rate.
 */
async function processCpuMs(pid: number): Promise<number | undefined> {
  try {
    // Fields after the parenthesized command name; utime and stime are the 14th and 15th of the whole line,
    // in clock ticks of USER_HZ, which is 100 on Linux.
    const fields = (await readFile(`/proc/${pid}/stat`, "utf8")).split(") ")[1]?.split(" ") ?? [];
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks * 10 : undefined;
  } catch {
    return undefined;
  }
}

/** Empties the database (`--rounds`): the next round pushes into it fresh, on a server already warm. */
async function emptied(driver: Driver, connection: Neo4jOptions): Promise<void> {
  const session = driver.session(sessionConfig(connection));
  try {
    await clearDatabase(session);
  } finally {
    await session.close();
  }
}

/** The server to push into: the one --uri (or NEO4J_URI) names, or a new embedded one stopped afterwards. */
async function benchServer(
  given: Neo4jOptions | undefined,
  javaOpts: string,
): Promise<{ connection: Neo4jOptions; server?: TempNeo4j; readyMs?: number }> {
  if (given) return { connection: given };
  const prepared = await prepareClasspath();
  if (!prepared.ok)
    throw new Error(`neo4j-push: no --uri, and no embedded server:\n${prepared.missingTools}`);
  const started = performance.now();
  const server = await startTempNeo4j({ javaOpts });
  return { connection: { uri: server.uri }, server, readyMs: Math.round(performance.now() - started) };
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
    "java-opts": { type: "string" },
    rounds: { type: "string" },
  },
});
const args = argsSchema.parse(values);
const modelStarted = performance.now();
const { data, source } = await benchCase(args);
const rows = graphRows(data, computeGaps(new CaseModel(data)));
const modelMs = performance.now() - modelStarted;
const given = (values.uri ?? process.env.NEO4J_URI) ? neo4jOptionsFrom(values, process.env) : undefined;
const { connection, server, readyMs } = await benchServer(given, args["java-opts"]);
try {
  const driver = await openDriver(connection);
  try {
    for (let round = 1; round <= args.rounds; round++) {
      if (round > 1) await emptied(driver, connection);
      const serverCpu = server ? await processCpuMs(server.pid) : undefined;
      const clientCpu = process.cpuUsage();
      const result = await pushGraph(driver, rows, { database: connection.database, batchSize: args.batch });
      const { user, system } = process.cpuUsage(clientCpu);
      const serverCpuEnd = server ? await processCpuMs(server.pid) : undefined;
      const line = {
        ...source,
        ...(server ? { javaOpts: args["java-opts"], readyMs } : { uri: connection.uri }),
        ...(args.rounds > 1 ? { round } : {}),
        usageRows: data.usage.size,
        modelMs: Math.round(modelMs),
        ...roundedTimes(result),
        clientCpuMs: Math.round((user + system) / 1000),
        ...(serverCpu !== undefined && serverCpuEnd !== undefined
          ? { serverCpuMs: serverCpuEnd - serverCpu }
          : {}),
      };
      process.stdout.write(`${JSON.stringify(line)}\n`);
    }
  } finally {
    await driver.close();
  }
} finally {
  await server?.stop();
}
