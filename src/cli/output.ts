import type { Block, CsvTable } from "../render/index.js";
import { csvDocument, renderBlocks } from "../render/index.js";
import type { OutputFormat } from "./options.js";

/** `--format json`: the result as is, on stdout. */
export function writeJson(result: unknown): void {
  process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
}

/** JSON as is; CSV is the result's one table; table and md render the command's blocks. */
export function writeResult<R>(
  result: R,
  blocks: (result: R) => Block[],
  csv: (result: R) => CsvTable,
  format: OutputFormat,
): void {
  if (format === "json") writeJson(result);
  else
    process.stdout.write(format === "csv" ? csvDocument(csv(result)) : renderBlocks(blocks(result), format));
}
