import { Command, Option } from "commander";
import { z } from "zod";
import { graphRows } from "../../../model/index.js";
import {
  DEFAULT_BATCH_SIZE,
  neo4jError,
  neo4jOptionsFrom,
  neo4jOptionsSchema,
  openDriver,
  pushGraph,
  pushResultBlocks,
} from "../../../neo4j/index.js";
import { computeGaps } from "../../../query/index.js";
import { metricsCsv } from "../../../render/index.js";
import { wholeNumberSchema } from "../../../whole-number.js";
import { inputOption } from "../../list-options.js";
import { loadData } from "../../load-data.js";
import { caseSourceSchema, defaultFormat, textOrJsonFormatSchema } from "../../options.js";
import { writeResult } from "../../output.js";
import { withConnectionOptions } from "./connection-options.js";
import { pushProgressBar } from "./push-progress.js";

export const neo4jPushOptionsSchema = z.object({
  source: caseSourceSchema,
  connection: neo4jOptionsSchema,
  batch: wholeNumberSchema(1, 100_000).default(DEFAULT_BATCH_SIZE),
  format: textOrJsonFormatSchema.default(defaultFormat),
});

export const push = withConnectionOptions(
  new Command("push")
    .description("load the model into Neo4j (constraints, then UNWIND … MERGE batches; safe to run again)")
    .addOption(inputOption())
    .option("-c, --case <file>", "read a case file written by `keytrail replay -o`")
    .option("--batch <n>", `rows per transaction (default ${DEFAULT_BATCH_SIZE})`)
    .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv", "md"])),
).action(async (raw: Record<string, unknown>) => {
  const options = neo4jPushOptionsSchema.parse({
    ...raw,
    source: { input: raw.input, case: raw.case },
    connection: neo4jOptionsFrom(raw, process.env),
  });
  const driver = await openDriver(options.connection);
  try {
    const model = await loadData(options.source);
    const bar = pushProgressBar();
    const result = await pushGraph(driver, graphRows(model.data, computeGaps(model)), {
      database: options.connection.database,
      batchSize: options.batch,
      onProgress: bar?.update,
    })
      .catch((error: unknown) => Promise.reject(neo4jError(error, options.connection)))
      .finally(() => bar?.stop());
    const report = { ...result, uri: options.connection.uri, database: options.connection.database ?? null };
    writeResult(report, pushResultBlocks, metricsCsv, options.format);
  } finally {
    await driver.close();
  }
});
