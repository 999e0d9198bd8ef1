/**
 * A strict RFC 4180 reader, as a spreadsheet or pandas reads `--format csv`: fields split on commas, a quoted
 * field may hold commas, line breaks and doubled quotes. Anything else (a stray quote, an unterminated field,
 * text after a closing quote) throws, so that a test sees malformed output instead of a lenient guess.
 */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let i = 0;
  const endField = () => {
    row.push(field);
    field = "";
  };
  while (i < text.length) {
    const char = text.charAt(i);
    if (char === '"' && field === "") {
      const close = quotedEnd(text, i + 1);
      field = text.slice(i + 1, close).replace(/""/g, '"');
      i = close + 1;
      const next = text.charAt(i);
      if (i < text.length && next !== "," && next !== "\n" && next !== "\r")
        throw new Error(`parseCsv: text after a closing quote at ${i}`);
      continue;
    }
    if (char === '"') throw new Error(`parseCsv: a quote inside an unquoted field at ${i}`);
    if (char === ",") endField();
    else if (char === "\n" || (char === "\r" && text.charAt(i + 1) === "\n")) {
      if (char === "\r") i++;
      endField();
      rows.push(row);
      row = [];
    } else field += char;
    i++;
  }
  if (field !== "" || row.length > 0) {
    endField();
    rows.push(row);
  }
  return rows;
}

/** The index of the quote that closes a field opened just before `from` (doubled quotes are text). */
function quotedEnd(text: string, from: number): number {
  for (let i = from; i < text.length; i++) {
    if (text.charAt(i) !== '"') continue;
    if (text.charAt(i + 1) === '"') i++;
    else return i;
  }
  throw new Error(`parseCsv: a quoted field opened at ${from - 1} never closes`);
}

export interface CsvRead {
  columns: string[];
  /** Each row as column -> cell */
  rows: Record<string, string>[];
}

/**
 * A CSV document that must be one table: a header, then rows of exactly the header's width, every line ended
 * by "\n". Throws with the offending line otherwise (a second section, a blank separator line, a ragged row).
 */
export function readTable(text: string): CsvRead {
  if (!text.endsWith("\n")) throw new Error("readTable: the last line does not end in \\n");
  const [columns, ...rows] = parseCsv(text);
  if (!columns) throw new Error("readTable: no header");
  if (new Set(columns).size !== columns.length) throw new Error(`readTable: repeated column in ${columns}`);
  rows.forEach((cells, index) => {
    if (cells.length !== columns.length)
      throw new Error(
        `readTable: row ${index + 1} has ${cells.length} cells, the header ${columns.length}: ${cells.join(",")}`,
      );
  });
  return {
    columns,
    rows: rows.map((cells) => Object.fromEntries(columns.map((column, i) => [column, cells[i] ?? ""]))),
  };
}
