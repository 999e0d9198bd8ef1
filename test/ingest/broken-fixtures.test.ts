import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { ingestAll } from "./helpers.js";

const dir = fileURLToPath(new URL("../../fixtures/broken/", import.meta.url));

async function read(name: string) {
  const file = join(dir, name);
  const { records, positions, issues, summary } = await ingestAll([file]);
  return {
    file,
    indexes: positions.map((position) => position.index),
    issues: issues.map(({ code, index, line, eventId }) => ({ code, index, line, eventId })),
    records,
    summary: summary.files[0],
  };
}

const none = { index: undefined, line: undefined, eventId: undefined };

describe("fixtures/broken", () => {
  it("truncated.json.gz keeps the records before the cut", async () => {
    const { indexes, issues, summary } = await read("truncated.json.gz");
    expect(indexes).toEqual([0, 1]);
    expect(issues).toEqual([{ code: "gzip-truncated", ...none }]);
    expect(summary).toMatchObject({ format: "cloudtrail-records", gzip: true, records: 2, issues: 1 });
  });

  it("corrupt.json.gz", async () => {
    const { records, issues, summary } = await read("corrupt.json.gz");
    expect(records).toEqual([]);
    expect(issues).toEqual([{ code: "gzip-corrupt", ...none }]);
    expect(summary).toMatchObject({ format: null, gzip: true });
  });

  it("invalid-json.jsonl loses only its bad lines", async () => {
    const { records, issues, indexes } = await read("invalid-json.jsonl");
    expect(records.map((record) => record.eventName)).toEqual(["CreateGrant", "DisableKey"]);
    expect(indexes).toEqual([0, 2]);
    expect(issues).toEqual([
      { code: "invalid-json", index: 1, line: 2, eventId: undefined },
      { code: "invalid-json", index: 3, line: 4, eventId: undefined },
    ]);
  });

  it("bom.json reads cleanly", async () => {
    const { records, issues } = await read("bom.json");
    expect(records).toHaveLength(4);
    expect(issues).toEqual([]);
  });

  it("nul-bytes.json keeps every record", async () => {
    const { records, issues } = await read("nul-bytes.json");
    expect(records.map((record) => record.eventName)).toEqual([
      "CreateGrant",
      "Decrypt",
      "DisableKey",
      "ScheduleKeyDeletion",
    ]);
    expect(issues).toEqual([{ code: "nul-bytes", ...none }]);
  });

  it("invalid-utf8.json keeps every record, with U+FFFD in place of the bad byte", async () => {
    const { records, issues } = await read("invalid-utf8.json");
    expect(records).toHaveLength(4);
    expect(JSON.stringify(records[0]?.userIdentity)).toContain("assumed-role/Ops/op\ufffdrateur");
    expect(issues).toEqual([{ code: "invalid-utf8", ...none }]);
  });

  it("empty.json", async () => {
    const { issues, summary } = await read("empty.json");
    expect(issues).toEqual([{ code: "empty-file", ...none }]);
    expect(summary).toMatchObject({ format: null, bytes: 0, records: 0 });
  });

  it("bad-lookup-events.json keeps the good entries", async () => {
    const { records, issues, indexes } = await read("bad-lookup-events.json");
    expect(records.map((record) => record.eventName)).toEqual(["CreateGrant", "ScheduleKeyDeletion"]);
    expect(indexes).toEqual([0, 3]);
    expect(issues).toEqual([
      {
        code: "bad-lookup-event",
        index: 1,
        line: undefined,
        eventId: "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d61",
      },
      {
        code: "bad-lookup-event",
        index: 2,
        line: undefined,
        eventId: "b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d62",
      },
    ]);
  });

  it("the whole folder in one run: every file accounted for", async () => {
    const { summary, records, issues } = await ingestAll([dir]);
    expect(summary.files.map((file) => file.file.slice(dir.length))).toEqual([
      "bad-lookup-events.json",
      "bom.json",
      "corrupt.json.gz",
      "empty.json",
      "invalid-json.jsonl",
      "invalid-utf8.json",
      "nul-bytes.json",
      "truncated.json.gz",
    ]);
    expect(records).toHaveLength(2 + 4 + 0 + 0 + 2 + 4 + 4 + 2);
    expect(issues).toHaveLength(2 + 0 + 1 + 1 + 2 + 1 + 1 + 1);
    expect(summary.skipped).toEqual([{ path: join(dir, "README.md"), reason: expect.any(String) }]);
  });
});
