import { Command, Option } from "commander";
import { z } from "zod";
import { gapsReport } from "../../query/index.js";
import { gapsBlocks, gapsCsv } from "../../render/index.js";
import { inputOption } from "../list-options.js";
import { loadData } from "../load-data.js";
import { caseSourceSchema, defaultFormat, durationSchema, textOrJsonFormatSchema } from "../options.js";
import { writeResult } from "../output.js";

export const gapsOptionsSchema = z.object({
  silence: durationSchema.prefault("1h"),
  format: textOrJsonFormatSchema.default(defaultFormat),
  source: caseSourceSchema,
});

export const gaps = new Command("gaps")
  .description(
    "coverage per account and Region, and the windows the trail is blind to (stopped, KMS excluded, silent)",
  )
  .option(
    "--silence <duration>",
    "a stretch with no record longer than this is a gap (90s, 10m, 1h, 7d)",
    "1h",
  )
  .addOption(inputOption())
  .option("-c, --case <file>", "read a case file written by `keytrail replay -o`")
  .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv", "md"]))
  .action(async (raw: Record<string, unknown>) => {
    const options = gapsOptionsSchema.parse({ ...raw, source: { input: raw.input, case: raw.case } });
    const model = await loadData(options.source);
    writeResult(gapsReport(model, { silenceMs: options.silence }), gapsBlocks, gapsCsv, options.format);
  });
