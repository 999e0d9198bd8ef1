import { Command, Option } from "commander";
import { z } from "zod";
import { InputError } from "../../errors.js";
import { describeIssue } from "../../issue.js";
import { writeCaseFile } from "../../model/index.js";
import { nothingReadError, replayInputsInFull } from "../../pipeline/index.js";
import { replaySummary } from "../../query/index.js";
import { metricsCsv, replaySummaryBlocks } from "../../render/index.js";
import { wholeNumberSchema } from "../../whole-number.js";
import {
  caseOverInputs,
  defaultFormat,
  inputPathsSchema,
  outputPathSchema,
  textOrJsonFormatSchema,
} from "../options.js";
import { writeResult } from "../output.js";
import { ingestProgressBar } from "../progress.js";
import { KEYTRAIL_VERSION } from "../version.js";

export const replayOptionsSchema = z
  .object({
    inputs: inputPathsSchema,
    output: outputPathSchema.optional(),
    format: textOrJsonFormatSchema.default(defaultFormat),
    strict: z.boolean().default(false),
    threads: wholeNumberSchema(1, 64).optional(),
  })
  .superRefine(({ inputs, output }, ctx) => {
    const reason = output === undefined ? undefined : caseOverInputs(output, inputs);
    if (reason !== undefined) ctx.addIssue({ code: "custom", message: reason, path: ["output"] });
  });

export const replay = new Command("replay")
  .description("replay CloudTrail logs into a case file and report what was read, kept and skipped")
  .argument("<inputs...>", "log files, directories (walked recursively) or - for stdin")
  .option("-o, --output <case>", "write the case file here (gzip JSON)")
  .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv", "md"]))
  .option("--strict", "exit 1 on the first bad input record instead of counting it")
  .option(
    "--threads <n>",
    "read threads (default: the machine's cores, at most 4; 1 reads in the main thread)",
  )
  .action(async (inputs: string[], raw: Record<string, unknown>) => {
    const options = replayOptionsSchema.parse({ ...raw, inputs });
    const bar = ingestProgressBar();
    const replayed = await replayInputsInFull(options.inputs, {
      ...(bar ? { progress: bar.update } : {}),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
    }).finally(() => bar?.stop());
    const { data } = replayed;
    const nothingRead = nothingReadError(data.stats, options.inputs, "replay");
    if (nothingRead) {
      // What was read and skipped is still worth seeing; a case of nothing is not worth writing.
      writeResult(replaySummary(data, null, null, replayed), replaySummaryBlocks, metricsCsv, options.format);
      throw nothingRead;
    }
    const first = data.stats.firstIssues[0];
    if (options.strict && first) {
      throw new InputError(`replay: ${describeIssue(first)}`, {
        hint: `${data.stats.issues} issue(s) in all; run without --strict to skip bad records`,
      });
    }
    const bytes = options.output
      ? await writeCaseFile(options.output, data, options.inputs, KEYTRAIL_VERSION)
      : null;
    writeResult(
      replaySummary(data, options.output ?? null, bytes, replayed),
      replaySummaryBlocks,
      metricsCsv,
      options.format,
    );
  });
