/**
 * Human output is built from a few block kinds and rendered as an aligned text table or Markdown.
 * Query results stay plain objects; each command's renderer turns its result into blocks (and, for CSV, into
 * the rows of one table: see csv.ts).
 */
export interface Table {
  headers: string[];
  rows: string[][];
}

export type Block =
  | { kind: "fields"; title?: string; fields: [string, string][] }
  | { kind: "table"; title?: string; table: Table; empty?: string }
  | { kind: "list"; title?: string; items: string[] };

import { escapeControls } from "../printable.js";

export type TextFormat = "table" | "md";

const MAX_CELL = 120;

/** `{AccessDenied: 3, KMSInvalidStateException: 1}` as "AccessDenied 3, KMSInvalidStateException 1". */
export function countList(
  counts: Record<string, number | undefined> | [string, number | undefined][],
): string {
  const entries = Array.isArray(counts) ? counts : Object.entries(counts);
  return entries.map(([name, n]) => `${name} ${n}`).join(", ");
}

function clip(value: string): string {
  const flat = escapeControls(value).replace(/\s+/g, " ");
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}

export function textTable(table: Table): string {
  const rows = [table.headers.map(escapeControls), ...table.rows.map((row) => row.map(clip))];
  const widths = table.headers.map((_, column) => Math.max(...rows.map((row) => (row[column] ?? "").length)));
  const line = (row: string[]) =>
    row
      .map((cell, column) => cell.padEnd(widths[column] ?? 0))
      .join("  ")
      .trimEnd();
  return [
    line(rows[0] ?? []),
    line(widths.map((width) => "-".repeat(width))),
    ...rows.slice(1).map(line),
  ].join("\n");
}

/** Columns that hold CloudTrail eventIds: shown as code so that they can be copied and searched verbatim. */
export function isEvidenceColumn(header: string): boolean {
  return /event ?ids?$|opened by/i.test(header);
}

// Log strings may hold Markdown or raw HTML: escape every character a renderer could act on.
export function mdEscape(value: string): string {
  return escapeControls(value)
    .replace(/\s+/g, " ")
    .replace(/[\\`*_[\]<>|#!]/g, (char) => `\\${char}`)
    .replace(/&/g, "&amp;");
}

function mdCode(value: string): string {
  if (value === "" || value === "-") return mdEscape(value);
  const flat = escapeControls(value).replace(/\s+/g, " ").replace(/\|/g, "\\|");
  // A run of backticks as long as the fence would close the span early (and let what follows be markup).
  const longestRun = Math.max(0, ...(flat.match(/`+/g) ?? []).map((run) => run.length));
  const fence = "`".repeat(longestRun + 1);
  return `${fence} ${flat} ${fence}`;
}

function mdTable(table: Table): string {
  const row = (cells: string[]) => `| ${cells.join(" | ")} |`;
  const evidence = table.headers.map(isEvidenceColumn);
  return [
    row(table.headers.map(mdEscape)),
    row(table.headers.map(() => "---")),
    ...table.rows.map((cells) => row(cells.map((cell, i) => (evidence[i] ? mdCode(cell) : mdEscape(cell))))),
  ].join("\n");
}

function asTable(block: Block): Table | null {
  if (block.kind === "table") return block.table;
  if (block.kind === "fields") return { headers: ["field", "value"], rows: block.fields };
  return { headers: ["item"], rows: block.items.map((item) => [item]) };
}

function renderText(block: Block): string {
  const title = block.title ? `${escapeControls(block.title)}\n` : "";
  if (block.kind === "fields") {
    const fields = block.fields.map(([name, value]) => [escapeControls(name), escapeControls(value)]);
    const width = Math.max(...fields.map(([name = ""]) => name.length));
    return title + fields.map(([name, value]) => `  ${`${name}:`.padEnd(width + 2)}${value}`).join("\n");
  }
  if (block.kind === "list")
    return (
      title +
      (block.items.length ? block.items.map((item) => `  - ${escapeControls(item)}`).join("\n") : "  (none)")
    );
  if (block.table.rows.length === 0) return `${title}  ${escapeControls(block.empty ?? "(none)")}`;
  return title + textTable(block.table).replace(/^/gm, "  ");
}

/** How fields read in Markdown: a field/value table in command output, a bullet list in a report's prose. */
type MarkdownFields = "table" | "list";

export function renderMarkdown(block: Block, fields: MarkdownFields = "table"): string {
  const title = block.title ? `### ${mdEscape(block.title)}\n\n` : "";
  if (block.kind === "list")
    return (
      title + (block.items.length ? block.items.map((item) => `- ${mdEscape(item)}`).join("\n") : "_none_")
    );
  if (block.kind === "fields" && fields === "list")
    return (
      title + block.fields.map(([name, value]) => `- **${mdEscape(name)}**: ${mdEscape(value)}`).join("\n")
    );
  const table = asTable(block);
  if (!table || table.rows.length === 0)
    return `${title}_${mdEscape(block.kind === "table" ? (block.empty ?? "none") : "none")}_`;
  return title + mdTable(table);
}

export function renderBlocks(blocks: Block[], format: TextFormat): string {
  const render = format === "md" ? renderMarkdown : renderText;
  return `${blocks.map((block) => render(block)).join("\n\n")}\n`;
}
