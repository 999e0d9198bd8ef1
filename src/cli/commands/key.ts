import { Command, Option } from "commander";
import { z } from "zod";
import { keyAt, keyHistory } from "../../query/index.js";
import { keyAtBlocks, keyHistoryBlocks, keyHistoryCsv, metricsCsv } from "../../render/index.js";
import { inputOption } from "../list-options.js";
import { loadData } from "../load-data.js";
import { caseSourceSchema, defaultFormat, isoTimeSchema, textOrJsonFormatSchema } from "../options.js";
import { writeResult } from "../output.js";

export const keyOptionsSchema = z.object({
  key: z.string().min(1),
  at: isoTimeSchema.optional(),
  format: textOrJsonFormatSchema.default(defaultFormat),
  source: caseSourceSchema,
});

export const key = new Command("key")
  .description(
    "a key's state at a time (state, aliases, policy version, grants, rotation, material), or its whole history",
  )
  .argument("<key>", "key ARN, key id, alias/name or alias ARN (aliases resolved as of --at)")
  .option("--at <time>", "ISO 8601 time, e.g. 2024-03-02T10:00:00Z; without it, the whole history")
  .addOption(inputOption())
  .option("-c, --case <file>", "read a case file written by `keytrail replay -o`")
  .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv", "md"]))
  .action(async (name: string, raw: Record<string, unknown>) => {
    const options = keyOptionsSchema.parse({
      ...raw,
      key: name,
      source: { input: raw.input, case: raw.case },
    });
    const model = await loadData(options.source);
    if (options.at === undefined)
      writeResult(keyHistory(model, options.key), keyHistoryBlocks, keyHistoryCsv, options.format);
    else writeResult(keyAt(model, options.key, options.at), keyAtBlocks, metricsCsv, options.format);
  });
