import { z } from "zod";

/** Coercions shared by the commands' option schemas: times, formats and the data source. */

export const isoTimeSchema = z
  .string()
  .regex(
    /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?)?$/,
    "expected an ISO 8601 time such as 2024-03-02T10:00:00Z",
  )
  .transform((value, ctx) => {
    const withZone = /T.*(Z|[+-]\d{2}:?\d{2})$/.test(value) || !value.includes("T") ? value : `${value}Z`;
    const time = Date.parse(withZone);
    if (Number.isNaN(time)) {
      ctx.addIssue({ code: "custom", message: `"${value}" is not a valid time` });
      return z.NEVER;
    }
    return time;
  });

export const textOrJsonFormatSchema = z.enum(["table", "json", "csv", "md"]);
export type OutputFormat = z.infer<typeof textOrJsonFormatSchema>;

/** `--format` defaults to a table on a terminal and to JSON when stdout is piped. */
export function defaultFormat(): OutputFormat {
  return process.stdout.isTTY ? "table" : "json";
}

export const caseSourceSchema = z
  .object({
    input: z.array(z.string()).min(1).optional(),
    case: z.string().optional(),
  })
  .refine((source) => Boolean(source.input) !== Boolean(source.case), {
    message: "give the data with exactly one of -i/--input <paths...> or -c/--case <file>",
  });
