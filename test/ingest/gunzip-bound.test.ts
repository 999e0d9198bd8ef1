import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readBuffer, WHOLE_GUNZIP_BYTES } from "../../src/ingest/read-source.js";
import { kmsRecord } from "./helpers.js";

const MIB = 1024 * 1024;

/** Memory held by Buffers still in use (a full garbage collection first, so garbage is not counted). */
function bufferMemoryInUse(): number {
  setFlagsFromString("--expose-gc");
  (runInNewContext("gc") as () => void)();
  return process.memoryUsage().arrayBuffers;
}

describe("a gzip read whole", () => {
  it("is streamed when it holds more than WHOLE_GUNZIP_BYTES, so the memory it holds stays bounded", async () => {
    // Gzip members of blank lines (cheap to read) between two records, 4 MiB more than the bound in all.
    const blank = gzipSync(`${" ".repeat(1023)}\n`.repeat(MIB / 1024));
    const line = (n: number) => gzipSync(`${JSON.stringify(kmsRecord(n))}\n`);
    const members = Array.from({ length: WHOLE_GUNZIP_BYTES / MIB + 4 }, () => blank);
    const file = Buffer.concat([line(0), ...members, line(1)]);
    const ids: unknown[] = [];
    let held = 0;
    const sink = {
      record(record: Record<string, unknown>) {
        ids.push(record.eventID);
        held = bufferMemoryInUse();
      },
      issue() {},
    };
    const summary = await readBuffer(file, "big.jsonl.gz", sink);
    expect(ids).toEqual([kmsRecord(0).eventID, kmsRecord(1).eventID]);
    expect(summary).toMatchObject({
      format: "ndjson",
      gzip: true,
      bytes: file.length,
      records: 2,
      issues: 0,
    });
    // Read whole, the decompressed text would still be held when the last record arrives.
    expect(held).toBeLessThan(64 * MIB);
  });
});
