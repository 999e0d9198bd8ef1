import { Command, Option } from "commander";
import { z } from "zod";
import { askedPrincipal, usage as usageQuery } from "../../query/index.js";
import { usageBlocks, usageCsv } from "../../render/index.js";
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

export const usageOptionsSchema = z
  .object({
    ...selectionFields,
    op: z.string().min(1).optional(),
    calls: z.boolean().default(false),
    format: textOrJsonFormatSchema.default(defaultFormat),
    source: caseSourceSchema,
  })
  .refine(...windowOrder)
  .refine(...sessionNeedsPrincipal);

export const usage = new Command("usage")
  .description(
    "calls actually made (successful and denied), grouped by principal, key and operation, attributed",
  )
  .option(
    "--key <key>",
    "key ARN, key id, alias/name or alias ARN (an alias: every key it named in the window)",
  )
  .option("--principal <principal>", "principal ARN (a session ARN means its role), account id or service")
  .option("--session <name>", SESSION_HELP)
  .option("--from <time>", "ISO 8601 start of the window (inclusive)")
  .option("--to <time>", "ISO 8601 end of the window (exclusive)")
  .option("--op <operation>", "only this operation, e.g. Decrypt or kms:Decrypt")
  .option("--calls", "also list every call with the grants and statements that could have authorized it")
  .addOption(inputOption())
  .option("-c, --case <file>", "read a case file written by `keytrail replay -o`")
  .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv", "md"]))
  .action(async (raw: Record<string, unknown>) => {
    const options = usageOptionsSchema.parse({ ...raw, source: { input: raw.input, case: raw.case } });
    const model = await loadData(options.source);
    const report = usageQuery(model, {
      key: options.key,
      principal: options.principal && askedPrincipal(options.principal, options.session),
      from: options.from,
      to: options.to,
      operation: options.op,
      calls: options.calls,
    });
    writeResult(report, usageBlocks, usageCsv, options.format);
  });
