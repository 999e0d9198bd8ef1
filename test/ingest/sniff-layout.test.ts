import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { codes, eventIds, ingestAll, kmsRecord, kmsRecords, readChunked } from "./helpers.js";

const records = kmsRecords(8);
const lines = records.map((record) => JSON.stringify(record));

/** The first line cut just after the first `ending` past its 200th character, as a writer that crashed leaves it. */
function cutFirstLine(ending: string): string[] {
  const first = lines[0] ?? "";
  return [first.slice(0, first.indexOf(ending, 200) + 1), ...lines.slice(1)];
}

describe("NDJSON whose first line is cut", () => {
  for (const ending of [",", ":"]) {
    it(`after a "${ending}" is still NDJSON: the cut line is one issue, every other line is read`, async () => {
      const text = cutFirstLine(ending).join("\n");
      for (const chunk of [64, 4096, text.length]) {
        const { records: got, positions, issues, summary } = await readChunked(Buffer.from(text), chunk);
        expect(eventIds(got)).toEqual(eventIds(records.slice(1)));
        expect(positions[0]).toEqual({ file: "mem.json", index: 1, line: 2 });
        expect(issues.map(({ code, index, line }) => ({ code, index, line }))).toEqual([
          { code: "invalid-json", index: 0, line: 1 },
        ]);
        expect(summary).toMatchObject({ format: "ndjson", records: 7, issues: 1 });
      }
    });
  }

  it("a first line over 1 MiB is waited for on a stream, so a cut line later costs only itself", async () => {
    const big = JSON.stringify({ ...kmsRecord(100), padding: "x".repeat(1_200_000) });
    const cut = lines.map((line, n) => (n === 4 ? line.slice(0, 300) : line));
    const text = [big, ...cut].join("\n");
    const stdin = Readable.from(
      Array.from({ length: Math.ceil(text.length / 65536) }, (_, n) =>
        text.slice(n * 65536, (n + 1) * 65536),
      ),
    );
    const { records: got, issues, summary } = await ingestAll(["-"], { stdin });
    expect(eventIds(got)).toEqual(eventIds([kmsRecord(100), ...records.filter((_, n) => n !== 4)]));
    expect(issues.map(({ code, index, line }) => ({ code, index, line }))).toEqual([
      { code: "invalid-json", index: 5, line: 6 },
    ]);
    expect(summary.files[0]).toMatchObject({ format: "ndjson", records: 8 });
  });
});

describe("documents whose lines look like records stay documents", () => {
  it("a Records document with one element a line, the last one a whole object", async () => {
    for (const text of [
      `{"Records":[${lines.slice(0, 3).join(",\n")}\n]}`,
      `{"Records":[\n${lines.slice(0, 3).join(",\n")}\n]}`,
      `{"Records": [${lines[0]}\n]}\n`,
    ]) {
      const { records: got, issues, summary } = await readChunked(Buffer.from(text), 4096);
      expect(codes(issues)).toEqual([]);
      expect(summary.format).toBe("cloudtrail-records");
      expect(got.length).toBeGreaterThan(0);
    }
  });

  it("a record written a member a line, one member an object on a line of its own", async () => {
    const { userIdentity, ...rest } = records[0] ?? {};
    const members = Object.entries(rest).map(
      ([key, value]) => `${JSON.stringify(key)}: ${JSON.stringify(value)}`,
    );
    const text = `{${members.join(",\n")},\n"userIdentity":\n${JSON.stringify(userIdentity)}\n}\n`;
    const { records: got, issues, summary } = await readChunked(Buffer.from(text), 4096);
    expect(codes(issues)).toEqual([]);
    expect(summary.format).toBe("single-record");
    expect(got).toEqual([records[0]]);
  });
});
