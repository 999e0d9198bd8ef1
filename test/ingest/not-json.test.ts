import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { codes, eventIds, ingestAll, kmsRecords, readChunked, useTempDir } from "./helpers.js";

const tempDir = useTempDir();

/** The C0/C1 control characters (and DEL) in a text. */
const controls = (text: string): string[] =>
  [...text].filter(
    (char) => char.charCodeAt(0) < 0x20 || (char.charCodeAt(0) >= 0x7f && char.charCodeAt(0) <= 0x9f),
  );
const records = kmsRecords(6);
const lines = (values: unknown[]): string[] => values.map((value) => JSON.stringify(value));

/** A text log as applications write it: 20,000 lines of words, none of them JSON. */
const appLog = Array.from(
  { length: 20_000 },
  (_, n) => `2024-03-02 10:00:${String(n % 60).padStart(2, "0")} INFO worker-${n} handled request ${n} ok`,
).join("\n");

/** Bytes a PRNG makes up: what a binary file (an image, a .gz that is not gzip) looks like to the reader. */
function binary(length: number): Buffer {
  let state = 7;
  return Buffer.from(
    Array.from({ length }, () => {
      state = (state * 1103515245 + 12345) & 0x7fffffff;
      return state >> 16;
    }),
  );
}

describe("a file that is not JSON is one issue, not one per word", () => {
  it("a text log: one invalid-json issue quoting its start, and the rest is not read", async () => {
    const { records: got, issues, summary } = await readChunked(Buffer.from(appLog), 4096, "app.log");
    expect(got).toEqual([]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "invalid-json", file: "app.log" });
    expect(issues[0]?.reason).toMatch(
      /^not JSON: "2024-03-02 10:00:00 INFO worker-0 handled request 0 ok\\n2024-…"/,
    );
    expect(issues[0]?.reason).toContain("the rest of the file was not read");
    expect(summary).toMatchObject({ format: null, records: 0, issues: 1 });
  });

  it("a binary file: one issue, printable, without the invalid-utf8 and nul-bytes noise", async () => {
    for (const file of ["binary.json", "binary.gz"]) {
      const dir = await tempDir();
      await writeFile(join(dir, file), binary(5000));
      const { issues } = await ingestAll([join(dir, file)]);
      expect(issues).toHaveLength(1);
      expect(issues[0]?.reason).toMatch(/^not JSON: binary data "/);
      expect(controls(issues[0]?.reason ?? "")).toEqual([]);
    }
  });

  it("a short text file: one issue even when it ends before the limit", async () => {
    const { issues } = await readChunked(
      Buffer.from("plain text log line one\nsecond line\n"),
      7,
      "notes.txt",
    );
    expect(issues).toEqual([
      {
        code: "invalid-json",
        file: "notes.txt",
        reason:
          'not JSON: "plain text log line one\\nsecond line\\n" (no JSON object or array in the whole file)',
      },
    ]);
  });

  it("terminal escapes in a file are quoted escaped, never raw", async () => {
    const { issues } = await readChunked(Buffer.from("\u001b[31mRED\u001b[0m \u001b]0;pwned\u0007 x y\n"), 5);
    expect(issues.length).toBeGreaterThan(0);
    for (const issue of issues) expect(controls(issue.reason)).toEqual([]);
    expect(issues.map((issue) => issue.reason).join(" ")).toContain("\\x1b");
  });

  it("gzip of junk text: one issue", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "nonjson.json.gz"), gzipSync("hello this is not json\n".repeat(50)));
    const { issues } = await ingestAll([dir]);
    expect(codes(issues)).toEqual(["invalid-json"]);
  });
});

describe("a trail with some bad lines keeps one issue per bad record", () => {
  it("bad first NDJSON lines are held until a good one shows up, then reported one by one", async () => {
    const text = [
      "{oops",
      "{not json at all",
      ...lines(records.slice(0, 3)),
      "{bad",
      ...lines(records.slice(3)),
    ];
    const { records: got, issues } = await readChunked(Buffer.from(text.join("\n")), 64, "t.ndjson");
    expect(eventIds(got)).toEqual(eventIds(records));
    expect(issues.map(({ code, line }) => ({ code, line }))).toEqual([
      { code: "invalid-json", line: 1 },
      { code: "invalid-json", line: 2 },
      { code: "invalid-json", line: 6 },
    ]);
  });

  it("a header line of words before the records costs its words, not the records", async () => {
    const text = ["# exported by a tool", ...lines(records)].join("\n");
    const { records: got, issues } = await readChunked(Buffer.from(text), 64);
    expect(eventIds(got)).toEqual(eventIds(records));
    expect(issues.length).toBeGreaterThan(0);
    expect(codes(issues).every((code) => code === "invalid-json")).toBe(true);
  });

  it("more bad lines than the limit after the first good record are all reported", async () => {
    const bad = Array.from({ length: 150 }, (_, n) => `{broken ${n}`);
    const text = [...lines(records.slice(0, 1)), ...bad, ...lines(records.slice(1))].join("\n");
    const { records: got, issues } = await readChunked(Buffer.from(text), 256);
    expect(eventIds(got)).toEqual(eventIds(records));
    expect(issues).toHaveLength(150);
  });

  it("a single bad value keeps its own reason", async () => {
    const { issues } = await readChunked(Buffer.from('{"eventVersion": "1.08",}'), 5);
    expect(codes(issues)).toEqual(["invalid-json"]);
    expect(issues[0]?.reason).not.toMatch(/^not JSON/);
  });
});

describe("JSON that holds no object", () => {
  it("an array of 500 numbers: one unknown-format issue", async () => {
    const numbers = JSON.stringify(Array.from({ length: 500 }, (_, n) => n));
    const { issues } = await readChunked(Buffer.from(numbers), 100, "numbers.json");
    expect(codes(issues)).toEqual(["unknown-format"]);
    expect(issues[0]?.reason).toMatch(/^no CloudTrail JSON: "\[0,1,2/);
  });
});
