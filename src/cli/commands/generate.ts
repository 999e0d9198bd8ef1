import { Command, Option } from "commander";
import { generateOptionsSchema, generateSummaryBlocks, generateTrail } from "../../generate/index.js";
import { metricsCsv } from "../../render/index.js";
import { defaultFormat, isoTimeSchema, textOrJsonFormatSchema } from "../options.js";
import { writeResult } from "../output.js";

export const generateCommandSchema = generateOptionsSchema.extend({
  start: isoTimeSchema.optional(),
  format: textOrJsonFormatSchema.default(defaultFormat),
});

export const generate = new Command("generate")
  .description(
    "write a realistic synthetic CloudTrail delivery (S3 layout, .json.gz) for demos and benchmarks",
  )
  .requiredOption("--out <dir>", "directory to write AWSLogs/... into")
  .option("--records <n>", "records in all, KMS and not (default 100000)")
  .option("--kms-fraction <f>", "share of KMS records, 0..1 (default 0.4)")
  .option("--accounts <n>", "AWS accounts (default 3)")
  .option("--regions <n>", "regions per account (default 2)")
  .option("--keys <n>", "KMS keys (default 40)")
  .option("--seed <n>", "PRNG seed: the same seed writes the same bytes (default 1)")
  .option("--start <time>", "ISO 8601 start of the trail (default 2024-06-01T00:00:00Z)")
  .option("--days <d>", "length of the trail in days (default 1)")
  .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv", "md"]))
  .action(async (raw: Record<string, unknown>) => {
    const { format, start, ...options } = generateCommandSchema.parse(raw);
    const summary = await generateTrail(start === undefined ? options : { ...options, start });
    writeResult(summary, generateSummaryBlocks, metricsCsv, format);
  });
