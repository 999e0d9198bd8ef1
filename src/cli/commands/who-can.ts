import { Command, Option } from "commander";
import { z } from "zod";
import { escapeControls } from "../../printable.js";
import { questionContext, unknownOperationNote, whoCanAt } from "../../query/index.js";
import { whoCanBlocks, whoCanCsv } from "../../render/index.js";
import { inputOption, ListOption } from "../list-options.js";
import { loadData } from "../load-data.js";
import { caseSourceSchema, defaultFormat, isoTimeSchema, textOrJsonFormatSchema } from "../options.js";
import { writeResult } from "../output.js";

/** A `--context` pair, `key=value`: a word without `=` after --context is no pair (the <key> maybe). */
const CONTEXT_PAIR = /^[^=\s]+=/;

/** A condition key has a prefix, its service's or `aws:` (`kms:ViaService`, `aws:PrincipalTag/team`). */
const PREFIXED_KEY = /^[^:=]+:/;

/** The key of a `--context` pair and its value (which may hold `=` itself). */
const splitPair = (pair: string) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)];

/**
 * `--context k=v` pairs: condition keys and the value the request would carry. A key without a prefix
 * (`Department=Finance`) is refused: no policy condition could match it, and the answer would be the one without
 * context, when the encryption context (`kms:EncryptionContext:Department`) was surely meant.
 */
const contextPairsSchema = z
  .array(z.string().regex(CONTEXT_PAIR, "expected key=value, e.g. kms:EncryptionContext:Department=Finance"))
  .superRefine((pairs, context) => {
    for (const pair of pairs.filter((each) => CONTEXT_PAIR.test(each) && !PREFIXED_KEY.test(each))) {
      const [key, value] = splitPair(pair).map(escapeControls);
      context.addIssue({
        code: "custom",
        input: pair,
        message: `"${key}" is no condition key: those have a prefix (kms:, aws:, …); did you mean kms:EncryptionContext:${key}=${value}?`,
      });
    }
  })
  .default([])
  .transform((pairs) => Object.fromEntries(pairs.map(splitPair)));

export const whoCanOptionsSchema = z.object({
  key: z.string().min(1),
  at: isoTimeSchema,
  // A wildcard would be read as the literal action `*` (who a statement allowing exactly "*" reaches), a narrower
  // answer than "every key operation", which is what leaving --op out asks.
  op: z
    .string()
    .min(1)
    .refine((op) => !/[*?]/.test(op), "one operation, not a pattern: leave --op out for every key operation")
    .optional(),
  context: contextPairsSchema,
  viaService: z.string().min(1).optional(),
  callerAccount: z
    .string()
    .regex(/^\d{12}$/, "expected a 12-digit account id")
    .optional(),
  format: textOrJsonFormatSchema.default(defaultFormat),
  source: caseSourceSchema,
});

export const whoCan = new Command("who-can")
  .description(
    "principals that could use a key at a time, each with its operations and reasons (policy, grant, IAM delegation, escalation)",
  )
  .argument("<key>", "key ARN, key id, alias/name or alias ARN (aliases resolved as of --at)")
  .requiredOption("--at <time>", "ISO 8601 time, e.g. 2024-03-02T10:00:00Z")
  .option("--op <operation>", "one operation (Decrypt, kms:Encrypt, …); without it, every key operation")
  .addOption(
    new ListOption(
      "--context <key=value...>",
      "facts about the request for conditions, e.g. kms:EncryptionContext:Department=Finance",
      (pair) => CONTEXT_PAIR.test(pair),
    ),
  )
  .option("--via-service <service>", "kms:ViaService of the request, e.g. s3.us-east-1.amazonaws.com")
  .option("--caller-account <account>", "kms:CallerAccount of the request")
  .addOption(inputOption())
  .option("-c, --case <file>", "read a case file written by `keytrail replay -o`")
  .addOption(new Option("--format <format>", "output format").choices(["table", "json", "csv", "md"]))
  .action(async (name: string, raw: Record<string, unknown>) => {
    const options = whoCanOptionsSchema.parse({
      ...raw,
      key: name,
      source: { input: raw.input, case: raw.case },
    });
    const model = await loadData(options.source);
    const context = questionContext(options);
    const question = {
      ...(options.op === undefined ? {} : { operation: options.op }),
      ...(context === undefined ? {} : { context }),
    };
    const report = whoCanAt(model, options.key, options.at, question);
    // Also said on stderr: a mistyped operation gets a plausible answer, whatever the output format.
    const unknown = unknownOperationNote(options.op);
    if (unknown) process.stderr.write(`keytrail: warning: ${escapeControls(unknown)}\n`);
    writeResult(report, whoCanBlocks, whoCanCsv, options.format);
  });
