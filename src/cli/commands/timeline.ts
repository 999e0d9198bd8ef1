import { Command, Option } from "commander";
import { z } from "zod";
import { askedPrincipal, timeline as timelineQuery } from "../../query/index.js";
import { timelineBlocks, timelineCsv, timesketchLines } from "../../render/index.js";
import { inputOption } from "../list-options.js";
import { loadData } from "../load-data.js";
import {
  caseSourceSchema,
  defaultFormat,
  SESSION_HELP,
  selectionFields,
  sessionNeedsPrincipal,
  textOrJsonFormatSchema,
  windowOrder,
} from "../options.js";
import { writeResult } from "../output.js";

export const timelineOptionsSchema = z
  .object({
    ...selectionFields,
    format: z.union([textOrJsonFormatSchema, z.literal("timesketch")]).default(defaultFormat),
    source: caseSourceSchema,
  })
  .refine(...windowOrder)
  .refine(...sessionNeedsPrincipal);

export const timeline = new Command("timeline")
  .description("management events, inferred state changes and usage runs, in time order")
  .option(
    "--key <key>",
    "key ARN, key id, alias/name or alias ARN (an alias: every key it named in the window)",
  )
  .option("--principal <principal>", "principal ARN (a session ARN means its role), account id or service")
  .option("--session <name>", SESSION_HELP)
  .option("--from <time>", "ISO 8601 start of the window (inclusive)")
  .option("--to <time>", "ISO 8601 end of the window (exclusive)")
  .addOption(inputOption())
  .option("-c, --case <file>", "read a case file written by `keytrail replay -o`")
  .addOption(
    new Option("--format <format>", "output format (timesketch: JSONL for Timesketch import)").choices([
      "table",
      "json",
      "csv",
      "md",
      "timesketch",
    ]),
  )
  .action(async (raw: Record<string, unknown>) => {
    const options = timelineOptionsSchema.parse({ ...raw, source: { input: raw.input, case: raw.case } });
    const model = await loadData(options.source);
    const { key, from, to } = options;
    const principal = options.principal && askedPrincipal(options.principal, options.session);
    const report = timelineQuery(model, { key, principal, from, to });
    if (options.format === "timesketch") process.stdout.write(timesketchLines(report));
    else writeResult(report, timelineBlocks, timelineCsv, options.format);
  });
