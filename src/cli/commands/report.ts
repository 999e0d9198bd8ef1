import { writeFileSync } from "node:fs";
import { extname } from "node:path";
import { Command, Option } from "commander";
import { z } from "zod";
import { UsageError } from "../../errors.js";
import { inputIssuesCaveat } from "../../pipeline/index.js";
import type { ReportSubject } from "../../query/index.js";
import { askedPrincipal, report } from "../../query/index.js";
import { reportHtml, reportMarkdown, reportSections } from "../../render/index.js";
import { inputOption } from "../list-options.js";
import { loadData } from "../load-data.js";
import {
  caseSourceSchema,
  outputPathSchema,
  SESSION_HELP,
  selectionFields,
  sessionNeedsPrincipal,
  windowOrder,
} from "../options.js";

const reportFormatSchema = z.enum(["md", "html"]);
type ReportFormat = z.infer<typeof reportFormatSchema>;

export const reportOptionsSchema = z
  .object({
    ...selectionFields,
    output: outputPathSchema,
    format: reportFormatSchema.optional(),
    source: caseSourceSchema,
  })
  .refine(...windowOrder)
  .refine(...sessionNeedsPrincipal);
type ReportOptions = z.infer<typeof reportOptionsSchema>;

function subjectOf(options: ReportOptions): ReportSubject {
  if (options.key !== undefined && options.principal !== undefined)
    throw new UsageError("report: give --key or --principal, not both");
  if (options.key !== undefined) return { key: options.key };
  if (options.principal !== undefined)
    return { principal: askedPrincipal(options.principal, options.session) };
  if (options.from !== undefined && options.to !== undefined) return { window: true };
  throw new UsageError("report: say what the report is about", {
    hint: "give --key K, --principal P, or a window --from T1 --to T2",
  });
}

/** `-o -` writes the report to standard output. */
const STDOUT = "-";

function extensionFormat(output: string): ReportFormat | null {
  const extension = extname(output).toLowerCase();
  if (extension === ".md") return "md";
  if (extension === ".html" || extension === ".htm") return "html";
  return null;
}

/**
 * The output file's extension decides, so that `-o incident.html` needs no --format; a --format that
 * contradicts it is refused rather than silently ignored.
 */
function formatOf(options: ReportOptions): ReportFormat {
  const byExtension = options.output === STDOUT ? null : extensionFormat(options.output);
  if (byExtension && options.format && options.format !== byExtension)
    throw new UsageError(`report: --format ${options.format} does not match "${options.output}"`, {
      hint: `name the file .${options.format}, or leave --format out`,
    });
  const format = byExtension ?? options.format;
  if (format) return format;
  throw new UsageError(`report: cannot tell the format of "${options.output}"`, {
    hint: "name the file .md or .html, or give --format md|html",
  });
}

export const reportCommand = new Command("report")
  .description("timeline reconstruction report for a key, a principal or a window, as Markdown or HTML")
  .option("--key <key>", "key ARN, key id, alias/name or alias ARN")
  .option(
    "--principal <principal>",
    "principal ARN (a session ARN means its role), account id or service principal",
  )
  .option("--session <name>", SESSION_HELP)
  .option("--from <time>", "window start, ISO 8601 (inclusive)")
  .option("--to <time>", "window end, ISO 8601 (exclusive)")
  .requiredOption("-o, --output <file>", "the report file: .md or .html (- for stdout, with --format)")
  .addOption(new Option("--format <format>", "when the extension does not say").choices(["md", "html"]))
  .addOption(inputOption())
  .option("-c, --case <file>", "read a case file written by `keytrail replay -o`")
  .action(async (raw: Record<string, unknown>) => {
    const options = reportOptionsSchema.parse({ ...raw, source: { input: raw.input, case: raw.case } });
    const subject = subjectOf(options);
    const format = formatOf(options);
    const model = await loadData(options.source);
    const answer = report(model, { subject, from: options.from, to: options.to, generatedAt: Date.now() });
    // A report outlives the terminal: issues met reading the logs (or building the case) are a caveat of it.
    const inputCaveat = inputIssuesCaveat(model.data.stats);
    const result = inputCaveat ? { ...answer, caveats: [inputCaveat, ...answer.caveats] } : answer;
    const sections = reportSections(result);
    const render = format === "html" ? reportHtml : reportMarkdown;
    const text = render(result, sections);
    if (options.output === STDOUT) process.stdout.write(text);
    else writeFileSync(options.output, text);
    process.stderr.write(
      `keytrail: wrote ${options.output === STDOUT ? "the report to stdout" : options.output} (${format}, ${sections.length} sections, ${result.findings.findings.length} findings)\n`,
    );
  });
