import { readFile, writeFile } from "node:fs/promises";
import { promisify } from "node:util";
import { gunzip, gzip } from "node:zlib";
import { z } from "zod";
import { CaseFileError } from "../errors.js";
import type { CaseData } from "./case-data.js";
import { UsageStore } from "./usage-store.js";

/**
 * The case file (DESIGN §6): gzip of one JSON document, `{format, version, createdAt, inputs, data}`, where
 * `data` holds the replayed records exactly as `CaseData` types them and usage as the columnar store.
 * Documented in docs/case-file.md. The version changes whenever a reader of the previous one would misread it.
 */
export const CASE_FORMAT = "keytrail-case";
export const CASE_VERSION = 1;

const gzipAsync = promisify(gzip);
const gunzipAsync = promisify(gunzip);

const caseHeaderSchema = z.object({
  format: z.literal(CASE_FORMAT),
  version: z.number().int(),
  createdAt: z.string(),
  keytrailVersion: z.string(),
  inputs: z.array(z.string()),
});

const column = z.custom<unknown[]>(Array.isArray, { message: "expected an array" });

// The records were written by keytrail; the reader checks the structure, not every field of every record.
const caseBodySchema = z.object({
  keys: z.array(z.object({ arn: z.string() }).loose()),
  grants: z.array(z.object({ grantId: z.string() }).loose()),
  aliases: z.array(z.object({ alias: z.object({ name: z.string() }).loose() }).loose()),
  principals: z.array(z.object({ id: z.string() }).loose()),
  events: z.array(z.object({ eventId: z.string() }).loose()),
  // Usage columns hold a million entries and more: check their shape, not each entry.
  usage: z
    .object({ strings: column, time: column, columns: z.record(z.string(), column) })
    .loose()
    .refine((usage) => Object.values(usage.columns).every((values) => values.length === usage.time.length), {
      message: "usage columns differ in length",
    }),
  coverage: z.array(z.unknown()),
  stats: z.object({ recordsRead: z.number() }).loose(),
  end: z.number().nullable(),
});

export type CaseHeader = z.infer<typeof caseHeaderSchema>;

export interface CaseFile {
  header: CaseHeader;
  data: CaseData;
}

export async function writeCaseFile(
  path: string,
  data: CaseData,
  inputs: string[],
  keytrailVersion: string,
): Promise<number> {
  const header: CaseHeader = {
    format: CASE_FORMAT,
    version: CASE_VERSION,
    createdAt: new Date().toISOString(),
    keytrailVersion,
    inputs,
  };
  const body = JSON.stringify({ ...header, data: { ...data, usage: data.usage.toJSON() } });
  const compressed = await gzipAsync(body, { level: 6 });
  await writeFile(path, compressed);
  return compressed.length;
}

export async function readCaseFile(path: string): Promise<CaseFile> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (error) {
    throw new CaseFileError(`case file ${path}: cannot be read`, {
      cause: error,
      hint: "check the path given to -c/--case",
    });
  }
  let document: unknown;
  try {
    document = JSON.parse((await gunzipAsync(bytes)).toString("utf8"));
  } catch (error) {
    throw new CaseFileError(`case file ${path}: not a gzip'd keytrail case file`, {
      cause: error,
      hint: "case files are written by `keytrail replay <inputs> -o <case>`",
    });
  }
  const header = caseHeaderSchema.safeParse(document);
  if (!header.success) {
    throw new CaseFileError(
      `case file ${path}: not a keytrail case file (${header.error.issues[0]?.message ?? "bad header"})`,
    );
  }
  if (header.data.version !== CASE_VERSION) {
    throw new CaseFileError(
      `case file ${path}: version ${header.data.version} is not supported (this keytrail reads ${CASE_VERSION})`,
      {
        hint: "replay the logs again with this keytrail version",
      },
    );
  }
  const body = caseBodySchema.safeParse((document as { data?: unknown }).data);
  if (!body.success) {
    const issue = body.error.issues[0];
    throw new CaseFileError(
      `case file ${path}: damaged (${issue?.path.join(".") ?? "data"}: ${issue?.message ?? "invalid"})`,
    );
  }
  const data = (document as { data: CaseData & { usage: ConstructorParameters<typeof UsageStore>[0] } }).data;
  return { header: header.data, data: { ...data, usage: new UsageStore(data.usage) } };
}
