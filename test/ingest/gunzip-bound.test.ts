import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { gunzipWhole } from "../../src/ingest/gunzip-stream.js";
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

describe("a damaged gzip read whole", () => {
  // The first member's first deflate block header is invalid (gzipSync writes a 10-byte header), so one
  // gunzip of the file fails and its members are salvaged one by one.
  const unreadable = gzipSync("lost");
  unreadable.fill(0xff, 10, 13);
  const text = "x".repeat(4096);
  const file = Buffer.concat([unreadable, gzipSync(text), gzipSync(text)]);

  it("keeps every member after the damage while what they hold stays within the bound", () => {
    const salvaged = gunzipWhole(file, 3 * text.length);
    expect(salvaged?.bytes.toString()).toBe(text + text);
    expect(salvaged?.outcome.failure).toBe("corrupt");
  });

  it("is left to the streaming reader when its members hold more than the bound", () => {
    // Held whole, members after the damage would grow memory without limit (a small file can hold GBs).
    expect(gunzipWhole(file, 2 * text.length - 1)).toBeNull();
  });
});
