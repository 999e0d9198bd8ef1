import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { readSource } from "../../src/ingest/index.js";
import { codes, eventIds, ingestAll, kmsRecords, readChunked, useTempDir } from "./helpers.js";

const tempDir = useTempDir();
const records = kmsRecords(6);
const json = (value: unknown): string => JSON.stringify(value);
const ndjson = (values: unknown[]): string[] => values.map((value) => json(value));

describe("broken input never stops the run and nothing good is lost", () => {
  it("truncated gzip: keeps every record before the cut, then gzip-truncated", async () => {
    const full = gzipSync(Buffer.from(ndjson(kmsRecords(400)).join("\n")));
    const cut = full.subarray(0, Math.floor(full.length * 0.6));
    const { records: got, issues, summary } = await readChunked(cut, 4096, "cut.json.gz");
    expect(got.length).toBeGreaterThan(100);
    expect(got.length).toBeLessThan(400);
    expect(eventIds(got)).toEqual(eventIds(kmsRecords(got.length)));
    expect(codes(issues)).toEqual(["gzip-truncated"]);
    expect(issues[0]).toMatchObject({ file: "cut.json.gz" });
    expect(summary).toMatchObject({ gzip: true, records: got.length, issues: 1 });
  });

  it("a repeated Records member: the first is read, the second is reported, not silently dropped", async () => {
    const [a, b] = kmsRecords(2);
    const text = `{"Records":[${json(a)}],"Records":[${json(b)}]}`;
    const { records: got, issues } = await readChunked(Buffer.from(text), 16);
    expect(eventIds(got)).toEqual([a?.eventID]);
    expect(issues.map((issue) => issue.reason)).toEqual([
      expect.stringContaining('repeats its "Records" member'),
    ]);
    const dir = await tempDir();
    await writeFile(join(dir, "repeated.json"), text);
    const whole = await ingestAll([dir]);
    expect(eventIds(whole.records)).toEqual([a?.eventID]);
    expect(codes(whole.issues)).toEqual(codes(issues));
  });

  it("an Events member after Records: Records is read, Events is reported as a second container", async () => {
    const [a, b] = kmsRecords(2);
    const text = `{"Records":[${json(a)}],"Events":[${json({ CloudTrailEvent: json(b) })}]}`;
    const { records: got, issues } = await readChunked(Buffer.from(text), 16);
    expect(eventIds(got)).toEqual([a?.eventID]);
    expect(issues.map((issue) => issue.reason)).toEqual([
      expect.stringContaining('a second container "Events" after "Records" was not read'),
    ]);
    const dir = await tempDir();
    await writeFile(join(dir, "second.json"), text);
    const whole = await ingestAll([dir]);
    expect(eventIds(whole.records)).toEqual([a?.eventID]);
    expect(whole.issues.map((issue) => issue.reason)).toEqual(issues.map((issue) => issue.reason));
  });

  it("truncated gzip of a Records document: records before the cut survive, one issue", async () => {
    const full = gzipSync(json({ Records: kmsRecords(400) }));
    const { records: got, issues } = await readChunked(full.subarray(0, full.length - 200), 65536);
    expect(got.length).toBeGreaterThan(300);
    expect(eventIds(got)).toEqual(eventIds(kmsRecords(got.length)));
    expect(codes(issues)).toEqual(["gzip-truncated"]);
    expect(issues[0]?.reason).toMatch(/unfinished record at the cut \(\d+ bytes\) is lost/);
  });

  it("corrupt gzip: gzip-corrupt, no crash", async () => {
    const full = gzipSync(json({ Records: records }));
    const corrupt = Buffer.from(full);
    corrupt.fill(0xaa, 12, 40);
    const { issues, summary } = await readChunked(corrupt, 1024, "bad.json.gz");
    expect(codes(issues)).toEqual(["gzip-corrupt"]);
    expect(summary.format).toBeNull();
  });

  it("a file read whole keeps every record of a member whose check value is wrong, and says so", async () => {
    const full = gzipSync(json({ Records: kmsRecords(300) }));
    const badCheck = Buffer.from(full);
    badCheck.writeUInt32LE(badCheck.readUInt32LE(full.length - 8) ^ 1, full.length - 8);
    const dir = await tempDir();
    await writeFile(join(dir, "crc.json.gz"), badCheck);
    const { records: got, issues } = await ingestAll([dir]);
    expect(eventIds(got)).toEqual(eventIds(kmsRecords(300)));
    expect(issues.map(({ code, reason }) => [code, reason])).toEqual([
      ["gzip-corrupt", expect.stringContaining("CRC does not match its data, which was read anyway")],
    ]);
  });

  it("bytes after the last member are named, and every record before them kept", async () => {
    const full = gzipSync(json({ Records: kmsRecords(300) }));
    const dir = await tempDir();
    await writeFile(join(dir, "junk.json.gz"), Buffer.concat([full, Buffer.from("GARBAGE")]));
    const { records: got, issues } = await ingestAll([dir]);
    expect(got).toHaveLength(300);
    expect(issues.map(({ code, reason }) => [code, reason])).toEqual([
      ["gzip-corrupt", expect.stringContaining("7 bytes after gzip member 1 are not gzip data")],
    ]);
  });

  it("zero padding between members (gzip -d skips it) hides no member", async () => {
    const first = gzipSync(json({ Records: kmsRecords(3) }));
    const second = gzipSync(json({ Records: kmsRecords(3, 3) }));
    const dir = await tempDir();
    await writeFile(
      join(dir, "padded.json.gz"),
      Buffer.concat([first, Buffer.alloc(100), second, Buffer.alloc(10)]),
    );
    const { records: got, issues } = await ingestAll([dir]);
    expect(eventIds(got)).toEqual(eventIds(kmsRecords(6)));
    expect(issues).toEqual([]);
  });

  it("invalid NDJSON line costs only that line, reported with its line", async () => {
    const lines = ndjson(records);
    lines[2] = lines[2]?.slice(0, 50) ?? "";
    lines.splice(4, 0, "not json at all");
    const { records: got, issues } = await readChunked(Buffer.from(lines.join("\n")), 100);
    expect(eventIds(got)).toEqual(eventIds([records[0], records[1], records[3], records[4], records[5]]));
    expect(issues.map(({ code, index, line }) => ({ code, index, line }))).toEqual([
      { code: "invalid-json", index: 2, line: 3 },
      { code: "invalid-json", index: 4, line: 5 },
    ]);
  });

  it("a broken first NDJSON line costs only that line", async () => {
    const lines = ndjson(records);
    lines[0] = lines[0]?.slice(0, 80) ?? "";
    const { records: got, issues } = await readChunked(Buffer.from(lines.join("\n")), 64);
    expect(got).toHaveLength(5);
    expect(issues.map(({ code, line }) => ({ code, line }))).toEqual([{ code: "invalid-json", line: 1 }]);
  });

  it("an invalid element inside Records costs only that element", async () => {
    const elements = ndjson(records);
    elements[1] = elements[1]?.replace('"readOnly":false', '"readOnly":fals') ?? "";
    elements[4] = elements[4]?.replace('"eventType"', '"eventType" "x", "y"') ?? "";
    const text = `{"Records":[${elements.join(",\n")}]}`;
    const { records: got, issues } = await readChunked(Buffer.from(text), 333);
    expect(eventIds(got)).toEqual(eventIds([records[0], records[2], records[3], records[5]]));
    expect(issues.map(({ code, index }) => ({ code, index }))).toEqual([
      { code: "invalid-json", index: 1 },
      { code: "invalid-json", index: 4 },
    ]);
  });

  it("a record cut short inside Records: one issue for it, the records after it read, nothing more", async () => {
    const elements = ndjson(records);
    elements[3] = elements[3]?.slice(0, 200) ?? "";
    const text = `{"Records":[${elements.join(",")}]}`;
    const { records: got, positions, issues } = await readChunked(Buffer.from(text), 500);
    expect(eventIds(got)).toEqual(eventIds([records[0], records[1], records[2], records[4], records[5]]));
    expect(positions.map((position) => position.index)).toEqual([0, 1, 2, 4, 5]);
    // Reading goes on at the next record, so the end of the document is read as such: no second issue.
    expect(issues).toEqual([
      {
        code: "invalid-json",
        file: "mem.json",
        index: 3,
        reason: "record cut short: a new record starts 201 bytes into it, and reading went on from there",
      },
    ]);
  });

  it("records without eventVersion first, swallowed by one cut short, are recovered from its text", async () => {
    const shuffled = records.map(({ eventVersion, ...rest }) => ({ ...rest, eventVersion }));
    const elements = ndjson(shuffled);
    elements[3] = elements[3]?.slice(0, elements[3].indexOf('"requestID"')) ?? "";
    const text = `{"Records":[${elements.join(",")}]}`;
    const { records: got, positions, issues } = await readChunked(Buffer.from(text), 500);
    expect(eventIds(got)).toEqual(eventIds([records[0], records[1], records[2], records[4], records[5]]));
    expect(positions.map((position) => position.index)).toEqual([0, 1, 2, 4, 5]);
    expect(issues[0]).toMatchObject({ code: "invalid-json", index: 3 });
    expect(issues[0]?.reason).toContain("2 complete records after it were recovered");
  });

  it("a record never closed at the end of the file loses the rest, in one issue saying how many bytes", async () => {
    const elements = ndjson(records);
    const text = `{"Records":[${elements.slice(0, 3).join(",")},${elements[3]?.slice(0, 300)}`;
    const { records: got, issues } = await readChunked(Buffer.from(text), 500);
    expect(eventIds(got)).toEqual(eventIds(records.slice(0, 3)));
    expect(issues).toEqual([
      {
        code: "invalid-json",
        file: "mem.json",
        index: 3,
        reason:
          "the input ends inside record 3 (a bracket is never closed); 300 bytes up to the end of the file were not read",
      },
    ]);
  });

  it("a resources[] entry inside a broken record is not mistaken for a record", async () => {
    const broken = json(records[0]).replace('"readOnly":true', '"readOnly":tru');
    const twoResources = broken.replace('"resources":[', '"resources":[{"accountId":"1","ARN":"x"},');
    const { records: got, issues } = await readChunked(
      Buffer.from(`[${twoResources},${json(records[1])}]`),
      64,
    );
    expect(eventIds(got)).toEqual(eventIds([records[1]]));
    expect(issues.map(({ code, index }) => ({ code, index }))).toEqual([{ code: "invalid-json", index: 0 }]);
  });

  it("UTF-8 BOM is stripped silently", async () => {
    const { records: got, issues } = await readChunked(Buffer.from(`\ufeff${json({ Records: records })}`), 2);
    expect(issues).toEqual([]);
    expect(got).toHaveLength(6);
  });

  it("NUL bytes: reported once, removed, every record still parsed", async () => {
    const text = `${json({ Records: records.slice(0, 3) })}\0\0\0\n${"\0".repeat(100)}${json({ Records: records.slice(3) })}`;
    const { records: got, issues, summary } = await readChunked(Buffer.from(text), 50);
    expect(eventIds(got)).toEqual(eventIds(records));
    expect(codes(issues)).toEqual(["nul-bytes"]);
    expect(issues[0]?.reason).toMatch(/^103 NUL bytes were removed/);
    expect(summary.issues).toBe(1);
  });

  it("invalid UTF-8: replaced, reported, the record kept", async () => {
    const text = Buffer.from(json({ Records: records }));
    const at = text.indexOf("session-1");
    text[at] = 0xff;
    const { records: got, issues } = await readChunked(text, 64);
    expect(got).toHaveLength(6);
    expect(JSON.stringify(got[0])).toContain("\ufffdession-1");
    expect(codes(issues)).toEqual(["invalid-utf8"]);
    expect(issues[0]?.reason).toContain(`first at byte ${at}`);
  });

  it("empty and whitespace-only files: empty-file", async () => {
    for (const text of ["", " \n\t\r\n "]) {
      const { issues, summary } = await readChunked(Buffer.from(text), 3, "empty.json");
      expect(issues).toEqual([{ code: "empty-file", file: "empty.json", reason: "the file has no content" }]);
      expect(summary).toMatchObject({ format: null, records: 0, issues: 1 });
    }
  });

  it("lookup-events entries without a usable CloudTrailEvent: bad-lookup-event each", async () => {
    const page = {
      Events: [
        { EventId: "e0", CloudTrailEvent: json(records[0]) },
        { EventId: "e1", CloudTrailEvent: "{not json" },
        { EventId: "e2" },
        { EventId: "e3", CloudTrailEvent: "[1]" },
        { EventId: "e4", CloudTrailEvent: json(records[4]) },
      ],
    };
    const { records: got, issues } = await readChunked(Buffer.from(json(page)), 40);
    expect(eventIds(got)).toEqual(eventIds([records[0], records[4]]));
    expect(issues.map(({ code, index, eventId }) => ({ code, index, eventId }))).toEqual([
      { code: "bad-lookup-event", index: 1, eventId: "e1" },
      { code: "bad-lookup-event", index: 2, eventId: "e2" },
      { code: "bad-lookup-event", index: 3, eventId: "e3" },
    ]);
  });

  it("elements that are not objects: not-an-object each", async () => {
    const text = json({ Records: [records[0], 42, "x", null, [records[1]], records[2]] });
    const { records: got, issues } = await readChunked(Buffer.from(text), 17);
    expect(got).toHaveLength(2);
    expect(issues.map(({ code, index }) => ({ code, index }))).toEqual([
      { code: "not-an-object", index: 1 },
      { code: "not-an-object", index: 2 },
      { code: "not-an-object", index: 3 },
      { code: "not-an-object", index: 4 },
    ]);
  });

  it("JSON of no known shape: unknown-format", async () => {
    for (const text of ['{"name": "keytrail", "version": "1.0.0"}', "42", '"text"', '{"Records": "none"}']) {
      const { issues, records: got } = await readChunked(Buffer.from(text), 5);
      expect(got).toEqual([]);
      expect(codes(issues)).toEqual(["unknown-format"]);
    }
  });

  it("an array whose first object is not a record: one unknown-format, the rest skipped", async () => {
    const rows = Array.from({ length: 50 }, (_, index) => ({ index, file: "rules/x.yml", rule: "R" }));
    const { issues, records: got } = await readChunked(Buffer.from(json(rows)), 64);
    expect(got).toEqual([]);
    expect(issues.map(({ code, index }) => ({ code, index }))).toEqual([
      { code: "unknown-format", index: 0 },
    ]);
  });

  it("EventBridge events that are not CloudTrail ones: unknown-format, the others kept", async () => {
    const other = { "detail-type": "EC2 Instance State-change Notification", detail: { state: "running" } };
    const lines = [json({ "detail-type": "AWS API Call via CloudTrail", detail: records[0] }), json(other)];
    const { issues, records: got } = await readChunked(Buffer.from(lines.join("\n")), 64);
    expect(got).toHaveLength(1);
    expect(issues.map(({ code, line }) => ({ code, line }))).toEqual([{ code: "unknown-format", line: 2 }]);
  });

  it("records missing eventTime or eventSource are delivered (normalization reports them)", async () => {
    const { eventTime: _t, eventSource: _s, ...bare } = records[0] ?? {};
    const { issues, records: got } = await readChunked(Buffer.from(json({ Records: [bare] })), 64);
    expect(issues).toEqual([]);
    expect(got).toEqual([bare]);
  });

  it("a read error keeps the records before it: file-unreadable", async () => {
    async function* failing(): AsyncGenerator<Uint8Array> {
      yield Buffer.from(`${ndjson(records.slice(0, 2)).join("\n")}\n`);
      throw Object.assign(new Error("EIO: i/o error, read"), { code: "EIO" });
    }
    const got: unknown[] = [];
    const issues: unknown[] = [];
    const summary = await readSource(failing(), "disk.json", {
      record: (record) => got.push(record),
      issue: (issue) => issues.push(issue),
    });
    expect(got).toHaveLength(2);
    expect(issues).toEqual([
      { code: "file-unreadable", file: "disk.json", reason: "read failed: EIO: i/o error, read" },
    ]);
    expect(summary).toMatchObject({ records: 2, issues: 1 });
  });

  it("an error thrown by the sink is not mistaken for bad input", async () => {
    const file = join(await tempDir(), "ok.json");
    await writeFile(file, json({ Records: records }));
    const boom = ingestAll([file], {
      keep: () => {
        throw new Error("sink bug");
      },
    });
    await expect(boom).rejects.toThrow("sink bug");
  });
});
