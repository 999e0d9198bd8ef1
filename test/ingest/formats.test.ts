import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Readable } from "node:stream";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import type { InputFormat, RawRecord } from "../../src/ingest/index.js";
import { WHOLE_TEXT_BYTES } from "../../src/ingest/read-source.js";
import { eventIds, ingestAll, kmsRecord, kmsRecords, useTempDir } from "./helpers.js";

const tempDir = useTempDir();

function lookupPage(records: RawRecord[], nextToken?: string): object {
  const Events = records.map((record) => ({
    EventId: record.eventID,
    EventName: record.eventName,
    ReadOnly: "false",
    EventTime: "2024-03-02T10:00:00+00:00",
    EventSource: "kms.amazonaws.com",
    Resources: [],
    CloudTrailEvent: JSON.stringify(record),
  }));
  return nextToken === undefined ? { Events } : { Events, NextToken: nextToken };
}

function envelope(record: RawRecord): object {
  return {
    version: "0",
    id: "6f2f8a5e-0000-0000-0000-000000000000",
    "detail-type": "AWS API Call via CloudTrail",
    source: "aws.kms",
    account: "111122223333",
    time: "2024-03-02T10:00:00Z",
    region: "us-east-1",
    resources: [],
    detail: record,
  };
}

const five = kmsRecords(5);
const lines = (values: object[]): string => `${values.map((value) => JSON.stringify(value)).join("\n")}\n`;

const cases: { name: string; format: InputFormat; text: string }[] = [
  {
    name: "Records, minified (S3 delivery)",
    format: "cloudtrail-records",
    text: JSON.stringify({ Records: five }),
  },
  {
    name: "Records, pretty-printed",
    format: "cloudtrail-records",
    text: JSON.stringify({ Records: five }, null, 2),
  },
  { name: "NDJSON", format: "ndjson", text: lines(five) },
  {
    name: "NDJSON with CRLF and blank lines",
    format: "ndjson",
    text: lines(five).replaceAll("\n", "\r\n\r\n"),
  },
  { name: "lookup-events", format: "lookup-events", text: JSON.stringify(lookupPage(five), null, 4) },
  {
    name: "lookup-events, paged concatenation",
    format: "lookup-events",
    text: [
      lookupPage(five.slice(0, 2), "tok1"),
      lookupPage(five.slice(2, 4), "tok2"),
      lookupPage(five.slice(4)),
    ]
      .map((page) => JSON.stringify(page, null, 4))
      .join("\n"),
  },
  {
    name: "lookup-events, one page a line",
    format: "lookup-events",
    text: lines([lookupPage(five.slice(0, 3), "t"), lookupPage(five.slice(3))]),
  },
  { name: "EventBridge, one a line", format: "eventbridge", text: lines(five.map(envelope)) },
  { name: "EventBridge, array", format: "eventbridge", text: JSON.stringify(five.map(envelope), null, 2) },
  { name: "bare array of records", format: "json-array", text: JSON.stringify(five, null, 2) },
  {
    name: "concatenated pretty-printed records (jq '.Records[]')",
    format: "ndjson",
    text: five.map((record) => JSON.stringify(record, null, 2)).join("\n"),
  },
];

describe("ingest: every format, plain and gzipped", () => {
  for (const { name, format, text } of cases) {
    for (const gzip of [false, true]) {
      it(`${name}${gzip ? " (.gz)" : ""}`, async () => {
        const file = join(await tempDir(), gzip ? "input.json.gz" : "input.json");
        await writeFile(file, gzip ? gzipSync(text) : text);
        const { records, positions, issues, summary } = await ingestAll([file]);
        expect(issues).toEqual([]);
        expect(eventIds(records)).toEqual(eventIds(five));
        expect(records[1]).toEqual(five[1]);
        expect(positions.map((position) => position.index)).toEqual([0, 1, 2, 3, 4]);
        expect(summary.files).toEqual([
          {
            file,
            format,
            gzip,
            bytes: gzip ? gzipSync(text).length : Buffer.byteLength(text),
            records: 5,
            dropped: 0,
            issues: 0,
          },
        ]);
      });
    }
  }

  it("gives NDJSON records their 1-based line", async () => {
    const file = join(await tempDir(), "lines.jsonl");
    await writeFile(file, `\n${lines(five.slice(0, 2))}\n${JSON.stringify(five[2])}`);
    const { positions } = await ingestAll([file]);
    expect(positions).toEqual([
      { file, index: 0, line: 2 },
      { file, index: 1, line: 3 },
      { file, index: 2, line: 5 },
    ]);
  });

  it("reads a single bare record, pretty or minified", async () => {
    const dir = await tempDir();
    for (const [name, text] of [
      ["pretty.json", JSON.stringify(kmsRecord(7), null, 2)],
      ["minified.json", `${JSON.stringify(kmsRecord(7))}\n`],
      ["envelope.json", JSON.stringify(envelope(kmsRecord(7)), null, 2)],
    ] as const) {
      await writeFile(join(dir, name), text);
    }
    const { records, summary } = await ingestAll([dir]);
    expect(eventIds(records)).toEqual(Array(3).fill(kmsRecord(7).eventID));
    expect(summary.files.map((file) => file.format)).toEqual([
      "eventbridge",
      "single-record",
      "single-record",
    ]);
  });

  it("detects gzip from the bytes, not the name", async () => {
    const dir = await tempDir();
    await writeFile(join(dir, "compressed.json"), gzipSync(JSON.stringify({ Records: five })));
    await writeFile(join(dir, "plain.json.gz"), JSON.stringify({ Records: five }));
    const { records, issues, summary } = await ingestAll([dir]);
    expect(issues).toEqual([]);
    expect(records).toHaveLength(10);
    expect(summary.files.map((file) => file.gzip)).toEqual([true, false]);
  });

  it("reads several gzip members concatenated (cat a.gz b.gz)", async () => {
    const file = join(await tempDir(), "joined.json.gz");
    await writeFile(file, Buffer.concat([gzipSync(lines(five.slice(0, 2))), gzipSync(lines(five.slice(2)))]));
    const { records, issues } = await ingestAll([file]);
    expect(issues).toEqual([]);
    expect(eventIds(records)).toEqual(eventIds(five));
  });

  it("keeps Records when other members come before or after the array", async () => {
    const file = join(await tempDir(), "members.json");
    await writeFile(file, JSON.stringify({ Meta: { note: "]}[{" }, Records: five, NextToken: "x]" }));
    const { records, issues } = await ingestAll([file]);
    expect(issues).toEqual([]);
    expect(records).toHaveLength(5);
  });

  it("applies keep before the sink and counts what it drops", async () => {
    const file = join(await tempDir(), "keep.json");
    await writeFile(file, JSON.stringify({ Records: five }));
    const { records, summary } = await ingestAll([file], {
      keep: (record) => record.eventName === "Decrypt",
    });
    expect(records.map((record) => record.eventName)).toEqual(["Decrypt", "Decrypt", "Decrypt"]);
    expect(summary).toMatchObject({ records: 3, dropped: 2 });
    expect(summary.files[0]).toMatchObject({ records: 3, dropped: 2 });
  });

  it("reads standard input from options.stdin for the path -", async () => {
    const text = lines(five);
    const stdin = Readable.from([Buffer.from(text.slice(0, 100)), Buffer.from(text.slice(100))]);
    const { records, positions, summary } = await ingestAll(["-"], { stdin });
    expect(eventIds(records)).toEqual(eventIds(five));
    expect(positions[0]).toEqual({ file: "-", index: 0, line: 1 });
    expect(summary.files[0]).toMatchObject({ file: "-", format: "ndjson", records: 5 });
  });

  it("reads gzipped standard input", async () => {
    const stdin = Readable.from([gzipSync(JSON.stringify({ Records: five }))]);
    const { records, summary } = await ingestAll(["-"], { stdin });
    expect(records).toHaveLength(5);
    expect(summary.files[0]).toMatchObject({ file: "-", gzip: true, format: "cloudtrail-records" });
  });
});

describe("ingest: a small gzip that holds more text than one string can", () => {
  it("streams NDJSON past V8's longest string in pieces instead of decoding it whole", async () => {
    // 0x1fffffe8 characters is the longest string V8 makes; a gzip of a few MB can hold more text.
    const longestString = 0x1fffffe8;
    const line = (n: number) =>
      Buffer.from(`${JSON.stringify({ ...kmsRecord(n), padding: "x".repeat(40_000) })}\n`);
    const count = Math.ceil(longestString / line(0).length) + 10;
    const text = Buffer.concat(Array.from({ length: count }, (_, n) => line(n)));
    expect(text.length).toBeGreaterThan(Math.max(longestString, WHOLE_TEXT_BYTES));
    const path = join(await tempDir(), "export.ndjson.gz");
    await writeFile(path, gzipSync(text, { level: 1 }));
    const { records, positions, issues, summary } = await ingestAll([path]);
    expect(issues).toEqual([]);
    expect(records).toHaveLength(count);
    expect(positions.at(-1)).toMatchObject({ index: count - 1, line: count });
    expect(summary.files[0]).toMatchObject({ format: "ndjson", gzip: true, records: count });
  }, 120_000);
});
