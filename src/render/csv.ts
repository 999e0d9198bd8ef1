import { escapeControls } from "../printable.js";

/**
 * `--format csv`: every command writes one RFC 4180 table, a header line and then one line per row, each line
 * ending in "\n". Rows hold the query result's own values (full ARNs, ISO times, every eventId listed); each
 * command's renderer maps its result to rows, and this module alone decides how a value becomes a cell.
 */
export type CsvValue = string | number | boolean | null | undefined;

export interface CsvTable<C extends string = string> {
  columns: readonly C[];
  rows: readonly Readonly<Record<C, CsvValue>>[];
}

// A spreadsheet runs a cell that starts with one of these as a formula (=HYPERLINK(…), +cmd|…, @SUM(…)).
const FORMULA_START = /^[=+\-@]/;
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;
const NEEDS_QUOTES = /[",\r\n]/;

/**
 * One cell: empty for null/absent, true/false, numbers as JavaScript writes them. Text has its control
 * characters escaped (`\n`, `\x1b`: a hostile log can neither drive a terminal nor fake a row), gets a leading
 * `'` when a spreadsheet would take it for a formula (`-3` is a number and stays), and is quoted when it holds
 * a quote, a comma or a line break, quotes doubled.
 */
function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value !== "string") return String(value);
  const text = escapeControls(value);
  const inert = FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
  return NEEDS_QUOTES.test(inert) ? `"${inert.replace(/"/g, '""')}"` : inert;
}

export function csvDocument<C extends string>(table: CsvTable<C>): string {
  const line = (cells: readonly CsvValue[]) => `${cells.map(csvCell).join(",")}\n`;
  return (
    line(table.columns) + table.rows.map((row) => line(table.columns.map((column) => row[column]))).join("")
  );
}

/** A list of identifiers (eventIds, ARNs, operations, account ids, session names), none of which holds a space. */
export function idList(values: readonly string[]): string {
  return values.join(" ");
}

/** A list of free text (caveats, source addresses such as "AWS Internal"). */
export function textList(values: readonly string[]): string {
  return values.join(" | ");
}

// JSON.stringify leaves DEL and the C1 controls raw; as \u escapes they stay valid JSON after csvCell.
const C1 = /[\u007f-\u009f]/g;

/** A nested value (policy conditions, grant constraints, counts by name) as compact JSON; absent stays empty. */
export function jsonCell(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  return JSON.stringify(value).replace(
    C1,
    (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
}
