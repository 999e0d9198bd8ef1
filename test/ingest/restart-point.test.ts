import { describe, expect, it } from "vitest";
import { readBuffer } from "../../src/ingest/read-source.js";
import type { Issue, SourcePosition } from "../../src/issue.js";
import { eventIds, kmsRecords, readChunked } from "./helpers.js";

const records = kmsRecords(10);
const texts = records.map((record) => JSON.stringify(record));
const json = (value: unknown): string => JSON.stringify(value);

/** Record `n`'s text cut inside its eventID string, as a writer that crashed leaves it. */
function cutInString(n: number): string {
  const text = texts[n] ?? "";
  return text.slice(0, text.indexOf('"eventID":"') + 20);
}

/** The same reads whatever the chunks, and read whole (readBuffer) as streamed. */
async function readAllWays(text: string) {
  const bytes = Buffer.from(text);
  const streamed = await readChunked(bytes, 7);
  for (const size of [64, 1000, bytes.length]) {
    const again = await readChunked(bytes, size);
    expect(again.positions).toEqual(streamed.positions);
    expect(again.issues).toEqual(streamed.issues);
  }
  const whole: { positions: SourcePosition[]; issues: Issue[] } = { positions: [], issues: [] };
  await readBuffer(bytes, "mem.json", {
    record: (_record, position) => whole.positions.push(position),
    issue: (issue) => whole.issues.push(issue),
  });
  expect(whole).toEqual({ positions: streamed.positions, issues: streamed.issues });
  return streamed;
}

function issueSummary(issues: Issue[]) {
  return issues.map(({ code, index, reason }) => ({ code, index, reason }));
}

describe("a record cut short is one issue, and reading goes on at the record after it", () => {
  it("cut inside a string, in Records: every record after it is read, with its own index", async () => {
    const text = `{"Records":[${[...texts.slice(0, 3), cutInString(3), ...texts.slice(4)].join(",")}]}`;
    const { records: got, positions, issues, summary } = await readAllWays(text);
    expect(eventIds(got)).toEqual(eventIds(records.filter((_, n) => n !== 3)));
    expect(positions.map((position) => position.index)).toEqual([0, 1, 2, 4, 5, 6, 7, 8, 9]);
    expect(issueSummary(issues)).toEqual([
      {
        code: "invalid-json",
        index: 3,
        reason: `record cut short: a new record starts ${cutInString(3).length + 1} bytes into it, and reading went on from there`,
      },
    ]);
    expect(summary).toMatchObject({ format: "cloudtrail-records", records: 9, issues: 1 });
  });

  it("cut between members: the records it swallowed are read, and the document ends cleanly", async () => {
    const text = texts[3] ?? "";
    const cut = text.slice(0, text.indexOf(',"eventID"') + 1);
    const { records: got, issues } = await readAllWays(
      `{"Records":[${[...texts.slice(0, 3), cut, ...texts.slice(4)].join(",")}]}`,
    );
    expect(eventIds(got)).toEqual(eventIds(records.filter((_, n) => n !== 3)));
    expect(issueSummary(issues)).toEqual([expect.objectContaining({ code: "invalid-json", index: 3 })]);
  });

  it("`cat partial.json good.json`: the good document is read in full", async () => {
    const partial = `{"Records":[${texts.slice(0, 3).join(",")},${cutInString(3)}`;
    const good = json({ Records: kmsRecords(5, 100) });
    const { records: got, positions, issues } = await readAllWays(`${partial}${good}\n`);
    expect(eventIds(got)).toEqual(eventIds([...records.slice(0, 3), ...kmsRecords(5, 100)]));
    expect(positions.map((position) => position.index)).toEqual([0, 1, 2, 4, 5, 6, 7, 8]);
    expect(issueSummary(issues)).toEqual([
      {
        code: "invalid-json",
        index: 3,
        reason: `record cut short: a new document starts ${cutInString(3).length} bytes into it, and reading went on from there`,
      },
    ]);
  });

  it("pretty-printed records in a row (jq '.Records[]'), one of them cut", async () => {
    const pretty = records.map((record) => JSON.stringify(record, null, 2));
    const cut = (pretty[2] ?? "").slice(0, 300);
    const {
      records: got,
      issues,
      summary,
    } = await readAllWays([...pretty.slice(0, 2), cut, ...pretty.slice(3)].join("\n"));
    expect(eventIds(got)).toEqual(eventIds(records.filter((_, n) => n !== 2)));
    expect(issueSummary(issues)).toEqual([expect.objectContaining({ code: "invalid-json", index: 2 })]);
    expect(summary.format).toBe("ndjson");
  });

  it("a bad record whose own member holds a record (an EventBridge detail) is not read apart", async () => {
    const envelope = (n: number) => ({
      version: "0",
      "detail-type": "AWS API Call via CloudTrail",
      source: "aws.kms",
      detail: records[n],
    });
    const bad = json(envelope(0)).replace('"version":"0"', '"version":0x');
    const { records: got, issues } = await readAllWays(`[${bad},${json(envelope(1))}]`);
    expect(eventIds(got)).toEqual(eventIds([records[1]]));
    expect(issues.map(({ code, index }) => ({ code, index }))).toEqual([{ code: "invalid-json", index: 0 }]);
    expect(issues[0]?.reason).not.toContain("cut short");
  });
});
