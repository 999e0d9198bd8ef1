import { accessSync, constants, lstatSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, join, sep } from "node:path";
import { z } from "zod";
import { looksLikeIsoTime, parseIsoTime } from "../iso-time.js";

/** Coercions shared by the commands' option schemas: times, formats, the data source and output paths. */

export const isoTimeSchema = z
  .string()
  .refine(looksLikeIsoTime, "expected an ISO 8601 time such as 2024-03-02T10:00:00Z")
  .transform((value, ctx) => {
    const time = parseIsoTime(value);
    if (time === null) {
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

/** Whether anything (even a dangling link, which the reader reports) is at `path`. */
export function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/**
 * Input paths named on the command line: a path that is not there is a typo to fix now, not an empty replay
 * to discover later. "-" is standard input.
 */
export const inputPathsSchema = z
  .array(z.string().min(1))
  .min(1, "name at least one input (file, directory, or - for stdin)")
  .superRefine((paths, ctx) => {
    for (const path of paths) {
      if (path !== "-" && !exists(path))
        ctx.addIssue({ code: "custom", message: `no such file or directory: ${path}` });
    }
  });

/** Why `path` cannot be written, or undefined when it can (as far as can be told before writing it). */
function unwritable(path: string): string | undefined {
  if (path.endsWith("/") || path.endsWith(sep)) return "names a directory";
  try {
    if (statSync(path).isDirectory()) return "is a directory";
  } catch {
    // Not there yet: its directory decides.
  }
  const directory = dirname(path);
  try {
    if (!statSync(directory).isDirectory()) return `${directory} is not a directory`;
    accessSync(directory, constants.W_OK);
    return undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return code === "ENOENT"
      ? `directory ${directory} does not exist`
      : `directory ${directory} is not writable`;
  }
}

/** An output file, checked before the work that fills it: a long replay must not fail at its last step. */
export const outputPathSchema = z
  .string()
  .min(1)
  .superRefine((path, ctx) => {
    const reason = unwritable(path);
    if (reason !== undefined) ctx.addIssue({ code: "custom", message: `cannot write ${path}: ${reason}` });
  });

/** Where `path` is or would be, links resolved as far as it exists. */
function realLocation(path: string): string {
  try {
    return realpathSync(path);
  } catch {
    return join(realLocation(dirname(path)), basename(path));
  }
}

/**
 * Why a case file must not be written at `output` for these inputs, or undefined: over an input it would destroy
 * the evidence, and inside an input directory the next replay of it would read the case as a log.
 */
export function caseOverInputs(output: string, inputs: readonly string[]): string | undefined {
  if (output === "-")
    return "a case file is binary (gzip) and the summary goes to standard output: name a file";
  const target = realLocation(output);
  for (const input of inputs) {
    if (input === "-") continue;
    const place = realLocation(input);
    const within = target.startsWith(place.endsWith(sep) ? place : place + sep);
    if (target === place || within) {
      return `${output} is ${within ? "inside " : ""}the input ${input}: write the case outside the logs it is replayed from`;
    }
  }
  return undefined;
}

/** What a question is about: a key, a principal and a window, each optional (usage, timeline, report). */
export const selectionFields = {
  key: z.string().min(1).optional(),
  principal: z.string().min(1).optional(),
  session: z.string().min(1).optional(),
  from: isoTimeSchema.optional(),
  to: isoTimeSchema.optional(),
};

/** For options with --from and --to: a window that ends before it starts is a mistake, not an empty answer. */
export const windowOrder: [
  (options: { from?: number | undefined; to?: number | undefined }) => boolean,
  { message: string; path: string[] },
] = [
  (options) => options.from === undefined || options.to === undefined || options.from <= options.to,
  { message: "the window ends before it starts (--from is after --to)", path: ["to"] },
];

/** --session narrows --principal (a role) to one of its sessions: alone it names nothing. */
export const sessionNeedsPrincipal: [
  (options: { principal?: string | undefined; session?: string | undefined }) => boolean,
  { message: string; path: string[] },
] = [
  (options) => options.session === undefined || options.principal !== undefined,
  {
    message: "--session narrows --principal to one session of its role: give --principal too",
    path: ["session"],
  },
];

/** The help of --session, the same on every command that takes it. */
export const SESSION_HELP = "only this assumed-role session of the role named (its session name)";

/** Why `path` cannot be a case file to read, or undefined: checked before any work (neo4j push connects first). */
function unreadableCase(path: string): string | undefined {
  try {
    return statSync(path).isDirectory() ? `-c/--case ${path} is a directory, not a case file` : undefined;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    return `-c/--case ${path}: ${code === "ENOENT" ? "no such file" : `cannot be read (${code})`}`;
  }
}

export const caseSourceSchema = z
  .object({
    input: inputPathsSchema.optional(),
    case: z
      .string()
      .superRefine((path, ctx) => {
        const reason = unreadableCase(path);
        if (reason !== undefined) ctx.addIssue({ code: "custom", message: reason });
      })
      .optional(),
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
