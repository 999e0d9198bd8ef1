import { Command, Option } from "commander";
import { z } from "zod";
import { askedPrincipal, reach as reachOf } from "../../query/index.js";
import { reachBlocks, reachCsv } from "../../render/index.js";
import { inputOption } from "../list-options.js";
import { loadData } from "../load-data.js";
import {
  caseSourceSchema,
  defaultFormat,
  isoTimeSchema,
  SESSION_HELP,
  textOrJsonFormatSchema,
} from "../options.js";
import { writeResult } from "../output.js";

const windowSchema = z
  .object({ at: isoTimeSchema.optional(), from: isoTimeSchema.optional(), to: isoTimeSchema.optional() })
  .transform((window, ctx) => {
    if (window.at !== undefined && window.from === undefined && window.to === undefined)
      return { at: window.at };
    if (
      window.at === undefined &&
      window.from !== undefined &&
      window.to !== undefined &&
      window.from <= window.to
    )
      return { from: window.from, to: window.to };
    ctx.addIssue({ code: "custom", message: "give either --at T, or --from T1 --to T2 with T1 <= T2" });
    return z.NEVER;
  });

export const reachOptionsSchema = z.object({
  principal: z.string().min(1),
  session: z.string().min(1).optional(),
  window: windowSchema,
  format: textOrJsonFormatSchema.default(defaultFormat),
  source: caseSourceSchema,
});

export const reach = new Command("reach")
  .description(
    "keys a principal could use at a time or in a window (with operations and reasons), and which it did use",
  )
  .argument(
    "<principal>",
    "role/user ARN (an assumed-role session ARN means its role), account id, service principal or *",
  )
  .option("--session <name>", SESSION_HELP)
  .option("--at <time>", "ISO 8601 time")
  .option("--from <time>", "window start (ISO 8601); with --to")
  .option("--to <time>", "window end (ISO 8601), inclusive")
  .addOption(inputOption())
  .option("-c, --case <file>", "read a case file written by `keytrail replay -o`")
  .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv", "md"]))
  .action(async (principal: string, raw: Record<string, unknown>) => {
    const options = reachOptionsSchema.parse({
      ...raw,
      principal,
      window: { at: raw.at, from: raw.from, to: raw.to },
      source: { input: raw.input, case: raw.case },
    });
    const model = await loadData(options.source);
    const asked = askedPrincipal(options.principal, options.session);
    writeResult(reachOf(model, asked, options.window), reachBlocks, reachCsv, options.format);
  });
