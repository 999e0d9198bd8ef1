import type { Block } from "../render/index.js";
import { renderBlocks } from "../render/index.js";
import type { OutputFormat } from "./options.js";

/** JSON goes to stdout as is; the other formats render the command's blocks. */
export function writeResult(result: unknown, blocks: (result: never) => Block[], format: OutputFormat): void {
  if (format === "json") {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
    return;
  }
  process.stdout.write(renderBlocks(blocks(result as never), format));
}
