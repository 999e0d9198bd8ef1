import { readFile, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { collectInputs, type RecordFacts } from "../../src/ingest/index.js";
import { SHARED_DATA, sharedDataPresent } from "../support/shared-data.js";
import { ingestAll, kmsRecords, readChunked, useTempDir } from "./helpers.js";

/** Records ruled out from their facts are counted as dropped, take their index, and are never parsed. */
const tempDir = useTempDir();
const noise = (n: number) => ({
  eventSource: "s3.amazonaws.com",
  eventName: "GetObject",
  eventID: `noise-${n}`,
});
const dropNoise = (facts: RecordFacts) => facts.eventSource === "s3.amazonaws.com";

describe("drop", () => {
  it("drops Records elements before parsing, keeping the index of every other record", async () => {
    const dir = await tempDir();
    const [a, b] = kmsRecords(2);
    await writeFile(join(dir, "t.json"), JSON.stringify({ Records: [noise(0), a, noise(1), b] }));
    const got = await ingestAll([dir], { drop: dropNoise });
    expect(got.records.map((record) => record.eventID)).toEqual([a?.eventID, b?.eventID]);
    expect(got.positions.map((position) => position.index)).toEqual([1, 3]);
    expect(got.summary).toMatchObject({ records: 2, dropped: 2 });
  });

  it("drops plain NDJSON record lines, never a line that wraps records", async () => {
    const dir = await tempDir();
    const [a] = kmsRecords(1);
    const wrapped = JSON.stringify({ Records: [noise(2), a] });
    await writeFile(join(dir, "t.jsonl"), [JSON.stringify(noise(1)), wrapped].join("\n"));
    const got = await ingestAll([dir], { drop: dropNoise });
    expect(got.records.map((record) => record.eventID)).toEqual(["noise-2", a?.eventID]);
    expect(got.summary).toMatchObject({ dropped: 1 });
  });

  it("parses a line with a top-level wrapper member beside noise facts, and drops noise that nests one", async () => {
    const dir = await tempDir();
    const [a, b] = kmsRecords(2);
    const lines = [
      { ...noise(1), Records: [a] },
      { ...noise(2), requestParameters: { detail: { Records: [] } } },
      { ...noise(3), "detail-type": "AWS API Call via CloudTrail", detail: b },
    ];
    await writeFile(join(dir, "t.jsonl"), lines.map((line) => JSON.stringify(line)).join("\n"));
    const got = await ingestAll([dir], { drop: dropNoise });
    expect(got.records.map((record) => record.eventID)).toEqual([a?.eventID, b?.eventID]);
    expect(got.summary).toMatchObject({ records: 2, dropped: 1 });
  });

  it("never offers facts that are not plain", async () => {
    const dir = await tempDir();
    const escaped = JSON.stringify(noise(3)).replace('"s3.amazonaws.com"', '"s3.amazonaws.co\\u006d"');
    await writeFile(join(dir, "t.json"), `{"Records":[${escaped}]}`);
    const got = await ingestAll([dir], { drop: () => true });
    expect(got.records.map((record) => record.eventSource)).toEqual(["s3.amazonaws.com"]);
  });
});

/**
 * Whole files of CloudTrail's Records shape take a fast lane (one pass over the decoded text); everything
 * else, and every file read as a stream, takes the general scanner. Both must give the same records, indexes,
 * drops and issues.
 */
const dataPresent = sharedDataPresent("fast lane vs streaming check on shared data");
const fixturesDir = fileURLToPath(new URL("../../fixtures/", import.meta.url));

async function bothWays(file: string, bytes: Buffer) {
  const options = {
    drop: dropNoise,
    keep: (record: { eventName?: unknown }) => record.eventName !== "Encrypt",
  };
  const whole = await ingestAll([file], options);
  const streamed = await readChunked(bytes, 4096, file, options);
  const summary = (got: { records: number; dropped: number }) => [got.records, got.dropped];
  return {
    whole: { ...whole, summary: summary(whole.summary) },
    streamed: { ...streamed, summary: summary(streamed.summary) },
  };
}

describe("the Records fast lane and the streaming reader", () => {
  it("agree on tricky Records files, gzip or not", async () => {
    const dir = await tempDir();
    const records = [noise(0), ...kmsRecords(3), { ...noise(1), requestParameters: { x: "}]" } }];
    const texts = {
      "minified.json": JSON.stringify({ Records: records }),
      "pretty.json": JSON.stringify({ Records: records }, null, 2),
      "empty.json": '{"Records":[]}',
      "tail.json": `${JSON.stringify({ Records: records }).slice(0, -1)},"NextToken":"t"}`,
      "bad-element.json": `{"Records":[${JSON.stringify(noise(2))},{"eventName" 1},${JSON.stringify(records[1])}]}`,
      "cut.json": JSON.stringify({ Records: records }).slice(0, -40),
      "bom.json": `\ufeff${JSON.stringify({ Records: records })}`,
      "utf8.json": JSON.stringify({ Records: [{ ...noise(3), userAgent: "café ☕" }, ...records] }),
      "repeated-records.json": `{"Records":[${JSON.stringify(records[1])}],"Records":[${JSON.stringify(noise(4))}]}`,
      "nested-records-name.json": JSON.stringify({
        Records: [{ ...noise(5), requestParameters: { Records: 1 } }],
      }),
    };
    for (const [name, text] of Object.entries(texts)) {
      for (const gzip of [false, true]) {
        const bytes = gzip ? gzipSync(text) : Buffer.from(text);
        const file = join(dir, gzip ? `${name}.gz` : name);
        await writeFile(file, bytes);
        const { whole, streamed } = await bothWays(file, bytes);
        expect(whole, file).toEqual(streamed);
      }
    }
  });

  it.skipIf(!dataPresent)("agree on every shared sample and fixture", async () => {
    const { entries } = await collectInputs([SHARED_DATA, fixturesDir]);
    const files = entries.flatMap((entry) => (entry.kind === "file" ? [entry.path] : []));
    expect(files.length).toBeGreaterThan(100);
    for (const file of files) {
      const { whole, streamed } = await bothWays(file, await readFile(file));
      expect(whole, file).toEqual(streamed);
    }
  });
});
