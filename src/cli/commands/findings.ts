import { Command, Option } from "commander";
import { z } from "zod";
import { findings } from "../../query/index.js";
import { findingsBlocks, findingsCsv } from "../../render/index.js";
import { wholeNumberSchema } from "../../whole-number.js";
import { inputOption } from "../list-options.js";
import { loadData } from "../load-data.js";
import {
  caseSourceSchema,
  defaultFormat,
  durationSchema,
  isoTimeSchema,
  textOrJsonFormatSchema,
  windowOrder,
} from "../options.js";
import { writeResult } from "../output.js";

export const findingsOptionsSchema = z
  .object({
    from: isoTimeSchema.optional(),
    to: isoTimeSchema.optional(),
    principal: z.string().min(1).optional(),
    recentKey: durationSchema.prefault("1h"),
    inUse: durationSchema.prefault("7d"),
    shortMaterial: durationSchema.prefault("7d"),
    burstCount: wholeNumberSchema(2).default(3),
    burstWindow: durationSchema.prefault("10m"),
    format: textOrJsonFormatSchema.default(defaultFormat),
    source: caseSourceSchema,
  })
  .refine(...windowOrder);

export const findingsCommand = new Command("findings")
  .description(
    "suspicious patterns (policy opened, foreign grants, alias moves, blind spots, bursts…) with evidence",
  )
  .option("--from <time>", "only findings at or after this ISO 8601 time")
  .option("--to <time>", "only findings before this ISO 8601 time")
  .option(
    "--principal <principal>",
    "only findings whose blast radius holds this principal (an account id: any of its principals)",
  )
  .option(
    "--recent-key <duration>",
    "an alias moved to a key created at most this long before is suspicious",
    "1h",
  )
  .option("--in-use <duration>", "disabling or deleting a key used within this is suspicious", "7d")
  .option("--short-material <duration>", "imported material valid for less than this is suspicious", "7d")
  .option("--burst-count <n>", "calls that make a burst (denied, ReEncrypt, cross-account)", "3")
  .option("--burst-window <duration>", "... within this long", "10m")
  .addOption(inputOption())
  .option("-c, --case <file>", "read a case file written by `keytrail replay -o`")
  .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv", "md"]))
  .action(async (raw: Record<string, unknown>) => {
    const options = findingsOptionsSchema.parse({ ...raw, source: { input: raw.input, case: raw.case } });
    const model = await loadData(options.source);
    const thresholds = {
      recentKeyMs: options.recentKey,
      inUseMs: options.inUse,
      shortMaterialMs: options.shortMaterial,
      burstCount: options.burstCount,
      burstWindowMs: options.burstWindow,
    };
    const report = findings(model, {
      thresholds,
      from: options.from,
      to: options.to,
      principal: options.principal,
    });
    writeResult(report, findingsBlocks, findingsCsv, options.format);
  });
