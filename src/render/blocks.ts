/**
 * Human output is built from a few block kinds and rendered as an aligned text table, Markdown or CSV.
 * Query results stay plain objects; each command's renderer turns its result into blocks.
 */
export interface Table {
  headers: string[];
  rows: string[][];
}

export type Block =
  | { kind: "fields"; title?: string; fields: [string, string][] }
  | { kind: "table"; title?: string; table: Table; empty?: string }
  | { kind: "list"; title?: string; items: string[] };

export type TextFormat = "table" | "md" | "csv";

const MAX_CELL = 120;

function clip(value: string): string {
  const flat = value.replace(/\s+/g, " ");
  return flat.length > MAX_CELL ? `${flat.slice(0, MAX_CELL - 1)}…` : flat;
}

export function textTable(table: Table): string {
  const rows = [table.headers, ...table.rows.map((row) => row.map(clip))];
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

function mdEscape(value: string): string {
  return value.replace(/\|/g, "\\|").replace(/\n/g, " ");
}

function mdTable(table: Table): string {
  const row = (cells: string[]) => `| ${cells.map(mdEscape).join(" | ")} |`;
  return [row(table.headers), row(table.headers.map(() => "---")), ...table.rows.map(row)].join("\n");
}

export function csvCell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function csvTable(table: Table): string {
  return [table.headers, ...table.rows].map((row) => row.map(csvCell).join(",")).join("\n");
}

function asTable(block: Block): Table | null {
  if (block.kind === "table") return block.table;
  if (block.kind === "fields") return { headers: ["field", "value"], rows: block.fields };
  return { headers: ["item"], rows: block.items.map((item) => [item]) };
}

function renderText(block: Block): string {
  const title = block.title ? `${block.title}\n` : "";
  if (block.kind === "fields") {
    const width = Math.max(...block.fields.map(([name]) => name.length));
    return (
      title + block.fields.map(([name, value]) => `  ${`${name}:`.padEnd(width + 2)}${value}`).join("\n")
    );
  }
  if (block.kind === "list")
    return title + (block.items.length ? block.items.map((item) => `  - ${item}`).join("\n") : "  (none)");
  if (block.table.rows.length === 0) return `${title}  ${block.empty ?? "(none)"}`;
  return title + textTable(block.table).replace(/^/gm, "  ");
}

function renderMarkdown(block: Block): string {
  const title = block.title ? `### ${block.title}\n\n` : "";
  if (block.kind === "list")
    return title + (block.items.length ? block.items.map((item) => `- ${item}`).join("\n") : "_none_");
  const table = asTable(block);
  if (!table || table.rows.length === 0)
    return `${title}_${block.kind === "table" ? (block.empty ?? "none") : "none"}_`;
  return title + mdTable(table);
}

export function renderBlocks(blocks: Block[], format: TextFormat): string {
  if (format === "csv") {
    return `${blocks
      .flatMap((block) => asTable(block) ?? [])
      .map(csvTable)
      .join("\n\n")}\n`;
  }
  const render = format === "md" ? renderMarkdown : renderText;
  return `${blocks.map(render).join("\n\n")}\n`;
}
