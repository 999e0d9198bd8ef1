import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { IngestProgress } from "../../src/ingest/index.js";
import { replayInputsInFull } from "../../src/pipeline/index.js";
import { kmsRecords, useTempDir } from "./helpers.js";

const tempDir = useTempDir();
const json = (value: unknown): string => JSON.stringify(value);

describe("a replay's issues", () => {
  it("the progress counts the records normalization rejects, read in the main thread too", async () => {
    const dir = await tempDir();
    const undated = kmsRecords(6).map(({ eventTime: _time, ...rest }) => rest);
    await writeFile(join(dir, "undated.json"), json({ Records: [...undated, 7] }));
    const seen: IngestProgress[] = [];
    const { data, readThreads } = await replayInputsInFull([dir], {
      threads: 1,
      progress: (p) => seen.push(p),
    });
    expect(readThreads).toBe(1);
    expect(data.stats.issuesByCode).toEqual({ "missing-event-time": 6, "not-an-object": 1 });
    expect(seen.at(-1)?.issues).toBe(7);
  });

  it("are listed in input order, so --strict names the first one read", async () => {
    // The walk reads B.json before a.json (code-unit order); a path comparison put a.json first.
    const dir = await tempDir();
    const [first, second, third] = kmsRecords(3);
    await writeFile(join(dir, "B.json"), json({ Records: [first, 1, second, 2] }));
    await writeFile(join(dir, "a.json"), json({ Records: [third, 3] }));
    const { data } = await replayInputsInFull([dir], { threads: 1 });
    const issues = data.stats.firstIssues.map(({ file, index }) => ({
      file: file.slice(dir.length + 1),
      index,
    }));
    expect(issues).toEqual([
      { file: "B.json", index: 1 },
      { file: "B.json", index: 3 },
      { file: "a.json", index: 1 },
    ]);
    expect(data.stats.filesWithIssues.map(({ file }) => file.slice(dir.length + 1))).toEqual([
      "B.json",
      "a.json",
    ]);
  });

  it("of a file, an issue about the whole of it comes first, as it may explain the others", async () => {
    const dir = await tempDir();
    const record = json(kmsRecords(1)[0]).replace("aws-cli", "aws-cli\u00ff");
    // Written as latin1, U+00FF is the byte 0xff, which is no UTF-8.
    await writeFile(join(dir, "latin1.json"), Buffer.from(`{"Records":[1,${record}]}`, "latin1"));
    const { data } = await replayInputsInFull([dir], { threads: 1 });
    expect(data.stats.firstIssues.map(({ code, index }) => ({ code, index }))).toEqual([
      { code: "invalid-utf8", index: undefined },
      { code: "not-an-object", index: 0 },
    ]);
  });

  it("the first ones kept are the first in the input, whatever the limit", async () => {
    const dir = await tempDir();
    for (const name of ["c.json", "b.json", "a.json"]) {
      await writeFile(join(dir, name), json({ Records: Array.from({ length: 30 }, (_, n) => n) }));
    }
    const { data } = await replayInputsInFull([dir], { threads: 1, keepIssues: 40 });
    const kept = data.stats.firstIssues.map(({ file, index }) => `${file.slice(dir.length + 1)}:${index}`);
    expect(kept).toEqual([
      ...Array.from({ length: 30 }, (_, n) => `a.json:${n}`),
      ...Array.from({ length: 10 }, (_, n) => `b.json:${n}`),
    ]);
    expect(data.stats.issues).toBe(90);
  });
});
