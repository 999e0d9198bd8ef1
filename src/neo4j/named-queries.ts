import { readdir, readFile } from "node:fs/promises";
import { join } from "node:path";
import type { Driver } from "neo4j-driver";
import { NotFoundError, UsageError } from "../errors.js";
import { looksLikeIsoTime, parseIsoTime } from "../iso-time.js";
import { PACKAGE_ROOT } from "../package-root.js";
import { type DriverLibrary, driverLibrary } from "./open-driver.js";

/** A question from `queries/<name>.cypher` and what its header comment declares. */
export interface NamedQuery {
  name: string;
  text: string;
  question: string;
  parameters: { name: string; description: string; example: string }[];
  columns: { name: string; description: string }[];
}

export interface QueryResult {
  query: string;
  parameters: Record<string, string>;
  columns: string[];
  rows: Record<string, unknown>[];
}

/** `queries/` of the package. */
export const QUERIES_DIR = `${join(PACKAGE_ROOT, "queries")}/`;

const SECTION = /^\/\/\s*(Question|Parameters|Columns):\s*(.*)$/;
const PARAMETER = /^\/\/\s+\$(\w+):\s*(.*?)\s*Example:\s*(.+?)\s*$/;
const COLUMN = /^\/\/\s+(\w+):\s*(.+?)\s*$/;

/** Reads the header comment: `// Question: …`, `// Parameters:` lines `//   $p: what. Example: v`, `// Columns:`. */
export function parseNamedQuery(name: string, text: string): NamedQuery {
  const query: NamedQuery = { name, text, question: "", parameters: [], columns: [] };
  let section = "";
  for (const line of text.split("\n")) {
    if (!line.startsWith("//")) break;
    const heading = SECTION.exec(line);
    if (heading) {
      section = heading[1] ?? "";
      if (section === "Question") query.question = heading[2] ?? "";
      continue;
    }
    const parameter = section === "Parameters" ? PARAMETER.exec(line) : null;
    if (parameter) {
      query.parameters.push({
        name: parameter[1] ?? "",
        description: parameter[2] ?? "",
        example: parameter[3] ?? "",
      });
      continue;
    }
    const column = section === "Columns" ? COLUMN.exec(line) : null;
    if (column) query.columns.push({ name: column[1] ?? "", description: column[2] ?? "" });
  }
  return query;
}

export async function listQueries(dir = QUERIES_DIR): Promise<NamedQuery[]> {
  const files = (await readdir(dir)).filter((file) => file.endsWith(".cypher")).sort();
  return Promise.all(
    files.map(async (file) =>
      parseNamedQuery(file.replace(/\.cypher$/, ""), await readFile(`${dir}/${file}`, "utf8")),
    ),
  );
}

export async function loadQuery(name: string, dir = QUERIES_DIR): Promise<NamedQuery> {
  const queries = await listQueries(dir);
  const query = queries.find((candidate) => candidate.name === name);
  if (!query) {
    throw new NotFoundError(
      `neo4j query: no query "${name}"; available: ${queries.map((candidate) => candidate.name).join(", ")}`,
    );
  }
  return query;
}

/** The parameters to send: every declared one must be given, and nothing else. */
export function queryParameters(query: NamedQuery, given: Record<string, string>): Record<string, string> {
  const declared = query.parameters.map((parameter) => parameter.name);
  const unknown = Object.keys(given).filter((name) => !declared.includes(name));
  const missing = declared.filter((name) => given[name] === undefined);
  if (unknown.length > 0 || missing.length > 0) {
    const usage = query.parameters
      .map((parameter) => `--param ${parameter.name}=${parameter.example}`)
      .join(" ");
    throw new UsageError(
      `neo4j query ${query.name}: ${[
        missing.length > 0 ? `missing ${missing.join(", ")}` : "",
        unknown.length > 0 ? `unknown ${unknown.join(", ")}` : "",
      ]
        .filter(Boolean)
        .join("; ")} (usage: ${usage || "no parameters"})`,
    );
  }
  const values = { ...given };
  for (const parameter of query.parameters) {
    if (!looksLikeIsoTime(parameter.example)) continue;
    // Read as every other command reads a time (a date alone, no zone: UTC), and handed to datetime() whole.
    const value = given[parameter.name] ?? "";
    const time = parseIsoTime(value);
    if (time === null) {
      throw new UsageError(
        `neo4j query ${query.name}: --param ${parameter.name}=${value} is not an ISO 8601 time (e.g. ${parameter.example})`,
      );
    }
    values[parameter.name] = new Date(time).toISOString();
  }
  return values;
}

/** A value from the driver as JSON: integers as numbers, temporal values as ISO text, graph values as maps. */
export function plainValue(library: DriverLibrary, value: unknown): unknown {
  const { isDate, isDateTime, isInt, isLocalDateTime } = library;
  if (isInt(value)) return library.default.integer.toNumber(value);
  if (isDateTime(value)) return value.toStandardDate().toISOString();
  if (isDate(value) || isLocalDateTime(value)) return value.toString();
  if (Array.isArray(value)) return value.map((item) => plainValue(library, item));
  if (value !== null && typeof value === "object") {
    const record =
      "properties" in value && "labels" in value ? (value as { properties: object }).properties : value;
    return Object.fromEntries(Object.entries(record).map(([key, item]) => [key, plainValue(library, item)]));
  }
  return value;
}

/** Runs a named query as a read transaction; values are sent only as parameters. */
export async function runNamedQuery(
  driver: Driver,
  query: NamedQuery,
  given: Record<string, string>,
  database?: string,
): Promise<QueryResult> {
  const parameters = queryParameters(query, given);
  const library = await driverLibrary();
  const session = driver.session(database === undefined ? {} : { database });
  try {
    const result = await session.executeRead((tx) => tx.run(query.text, parameters));
    return {
      query: query.name,
      parameters,
      columns: [...(result.records[0]?.keys.map(String) ?? query.columns.map((column) => column.name))],
      rows: result.records.map((record) => plainValue(library, record.toObject()) as Record<string, unknown>),
    };
  } finally {
    await session.close();
  }
}
