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

const UNIT_MS = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 } as const;

/** "90s", "10m", "1h", "7d" -> milliseconds. */
export const durationSchema = z
  .string()
  .regex(/^\d+(\.\d+)?[smhd]$/, "expected a duration such as 90s, 10m, 1h or 7d")
  .transform((value) => Number(value.slice(0, -1)) * UNIT_MS[value.slice(-1) as keyof typeof UNIT_MS]);
