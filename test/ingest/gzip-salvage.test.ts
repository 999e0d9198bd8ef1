import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { eventIds, ingestAll, kmsRecords, readChunked, useTempDir } from "./helpers.js";

/** Damaged gzip files read whole: every member zlib can give is kept, and every problem is said. */
const tempDir = useTempDir();
const document = (from: number, count: number) =>
  gzipSync(JSON.stringify({ Records: kmsRecords(count, from) }));

async function readWhole(name: string, bytes: Buffer) {
  const dir = await tempDir();
  await writeFile(join(dir, name), bytes);
  return ingestAll([dir]);
}

/** A copy of a member with its deflate data damaged a little after its start. */
function damaged(member: Buffer): Buffer {
  const copy = Buffer.from(member);
  copy.fill(0xff, Math.floor(copy.length / 2), Math.floor(copy.length / 2) + 64);
  return copy;
}

/** A copy of a member whose first deflate block header is invalid (gzipSync writes a 10-byte header). */
function unreadable(member: Buffer): Buffer {
  const copy = Buffer.from(member);
  copy.fill(0xff, 10, 13);
  return copy;
}

describe("a gzip member whose deflate data is corrupt", () => {
  it("is named, and every member after it is read", async () => {
    const { records, issues } = await readWhole(
      "mid.json.gz",
      Buffer.concat([document(0, 3), unreadable(document(3, 200)), document(203, 3)]),
    );
    expect(eventIds(records)).toEqual([...eventIds(kmsRecords(3)), ...eventIds(kmsRecords(3, 203))]);
    expect(issues.find((issue) => issue.code === "gzip-corrupt")?.reason).toContain(
      "gzip member 2's data is corrupt",
    );
  });

  it("keeps what came before the damage of a file's only member", async () => {
    const { records, issues } = await readWhole("only.json.gz", damaged(document(0, 300)));
    expect(eventIds(records).slice(0, 10)).toEqual(eventIds(kmsRecords(10)));
    expect(issues.map((issue) => issue.code)).toContain("gzip-corrupt");
  });
});

describe("several problems in one gzip file", () => {
  it("are all said: a bad check value, then a member cut short", async () => {
    const first = document(0, 3);
    first.writeUInt32LE((first.readUInt32LE(first.length - 8) ^ 1) >>> 0, first.length - 8);
    const second = document(3, 100);
    const { issues } = await readWhole("both.json.gz", Buffer.concat([first, second.subarray(0, 400)]));
    const reason = issues.find((issue) => issue.code === "gzip-corrupt")?.reason ?? "";
    expect(reason).toContain("gzip member 1's CRC does not match its data");
    expect(reason).toContain("gzip member 2 ends before its trailer");
  });
});

describe("a streamed gzip (stdin, or a file over 64 MiB)", () => {
  it("says that bytes after a member were not read, rather than dropping them silently", async () => {
    const padded = Buffer.concat([document(0, 3), Buffer.alloc(100), document(3, 3)]);
    const { records, issues } = await readChunked(padded, 1 << 20, "padded.json.gz");
    expect(eventIds(records)).toEqual(eventIds(kmsRecords(3)));
    expect(issues.map((issue) => [issue.code, issue.reason])).toEqual([
      ["gzip-corrupt", expect.stringContaining("bytes after a gzip member do not start another one")],
    ]);
  });
});
