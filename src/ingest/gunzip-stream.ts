import { Readable } from "node:stream";
import { createGunzip } from "node:zlib";

/** How a gzip stream ended: cleanly, cut short before its trailer, or with corrupt data. */
export interface GzipOutcome {
  failure: "truncated" | "corrupt" | undefined;
  message: string;
}

function zlibCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

/**
 * Decompresses a gzip byte stream (several members included), yielding every byte zlib recovers. A cut or
 * corrupt stream ends the output and is recorded in `outcome` instead of thrown; read errors still throw.
 */
export async function* gunzipStream(
  source: AsyncIterable<Buffer>,
  outcome: GzipOutcome,
): AsyncGenerator<Buffer> {
  const input = Readable.from(source, { objectMode: false });
  const gunzip = createGunzip();
  input.on("error", (error) => gunzip.destroy(error));
  input.pipe(gunzip);
  try {
    for await (const chunk of gunzip) yield chunk as Buffer;
  } catch (error) {
    const code = zlibCode(error);
    if (code === "Z_BUF_ERROR") outcome.failure = "truncated";
    else if (code === "Z_DATA_ERROR") outcome.failure = "corrupt";
    else throw error;
    outcome.message = error instanceof Error ? error.message : String(error);
  } finally {
    input.destroy();
  }
}
