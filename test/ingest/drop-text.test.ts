import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { ingestAll, kmsRecords, useTempDir } from "./helpers.js";

/** Records ruled out from their text are counted as dropped, take their index, and are never parsed. */
const tempDir = useTempDir();
const noise = (n: number) => ({
  eventSource: "s3.amazonaws.com",
  eventName: "GetObject",
  eventID: `noise-${n}`,
});
const dropNoise = (text: string) => text.includes('"s3.amazonaws.com"');

describe("dropText", () => {
  it("drops Records elements before parsing, keeping the index of every other record", async () => {
    const dir = await tempDir();
    const [a, b] = kmsRecords(2);
    await writeFile(join(dir, "t.json"), JSON.stringify({ Records: [noise(0), a, noise(1), b] }));
    const got = await ingestAll([dir], { dropText: dropNoise });
    expect(got.records.map((record) => record.eventID)).toEqual([a?.eventID, b?.eventID]);
    expect(got.positions.map((position) => position.index)).toEqual([1, 3]);
    expect(got.summary).toMatchObject({ records: 2, dropped: 2 });
  });

  it("drops plain NDJSON record lines, never a line that wraps records", async () => {
    const dir = await tempDir();
    const [a] = kmsRecords(1);
    const wrapped = JSON.stringify({ Records: [noise(2), a] });
    await writeFile(join(dir, "t.jsonl"), [JSON.stringify(noise(1)), wrapped].join("\n"));
    const got = await ingestAll([dir], { dropText: dropNoise });
    expect(got.records.map((record) => record.eventID)).toEqual(["noise-2", a?.eventID]);
    expect(got.summary).toMatchObject({ dropped: 1 });
  });
});
