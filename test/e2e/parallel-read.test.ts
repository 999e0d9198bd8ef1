import { cpSync, mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { KeyHistoryReport, ReplaySummary } from "../../src/query/index.js";
import { s3Record } from "../ingest/helpers.js";
import { runJson } from "../support/run-cli.js";

/**
 * Many files are read on worker threads; the answer must not depend on it. The demo and every scenario trail,
 * side by side, make well over the 64 files that switch the workers on.
 */
const work = mkdtempSync(join(tmpdir(), "keytrail-parallel-"));
const trail = join(work, "trail");
cpSync("fixtures/demo", join(trail, "demo"), { recursive: true });
cpSync("fixtures/scenarios", join(trail, "scenarios"), { recursive: true });

describe("reading on worker threads", () => {
  it("gives the same replay, case and answers as reading in the main thread", () => {
    const cases = [1, 2].map((threads) => join(work, `t${threads}.case.gz`));
    const [serial, parallel] = [1, 2].map((threads, i) =>
      runJson<ReplaySummary>(["replay", trail, "--threads", String(threads), "-o", cases[i] as string]),
    );
    expect(serial?.inputs.files).toBeGreaterThan(64);
    // Each read as asked (once, --threads reached no reader and both read on workers)...
    expect([serial?.inputs.readThreads, parallel?.inputs.readThreads]).toEqual([1, 2]);
    // ...and to the same replay.
    const unlessHowRead = (summary: ReplaySummary | undefined) => ({
      ...summary,
      caseFile: null,
      caseBytes: null,
      inputs: { ...summary?.inputs, readThreads: null },
    });
    expect(unlessHowRead(parallel)).toEqual(unlessHowRead(serial));
    const history = (file: string) =>
      runJson<KeyHistoryReport>([
        "key",
        "arn:aws:kms:us-east-1:111122223333:key/a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d",
        "-c",
        file,
      ]);
    expect(history(cases[1] as string)).toEqual(history(cases[0] as string));
  });
});

describe("reading on worker threads, a file of bad records", () => {
  it("counts every issue of a file with thousands of bad records, as the main thread does", () => {
    // Issues travel with the worker's next batch, which also goes when it holds a batch's worth of them: none
    // may be lost on the way, whichever sends them.
    const many = join(work, "many-bad");
    mkdirSync(many);
    cpSync("fixtures/scenarios", join(many, "scenarios"), { recursive: true });
    const bad = Array.from({ length: 4500 }, (_, i) => `{"eventID":"bad-${i}","eventTime":}`);
    const good = '{"eventVersion":"1.08","eventID":"good","eventTime":"2024-01-01T00:00:00Z"}';
    writeFileSync(join(many, "bad.json"), `{"Records":[${[...bad, good].join(",")}]}`);
    for (let i = 0; i < 64; i++) writeFileSync(join(many, `empty-${i}.json`), '{"Records":[]}');
    const [serial, parallel] = [1, 2].map((threads) =>
      runJson<ReplaySummary>(["replay", many, "--threads", String(threads)]),
    );
    expect([serial?.inputs.readThreads, parallel?.inputs.readThreads]).toEqual([1, 2]);
    expect(parallel?.issues.total).toBeGreaterThanOrEqual(4500);
    expect(parallel?.issues).toEqual(serial?.issues);
    expect(parallel?.inputs.filesWithIssues).toEqual(serial?.inputs.filesWithIssues);
  });
});

describe("reading on worker threads, times that cannot be read", () => {
  it("passes over them in coverage, as the main thread does", () => {
    // Each file's second record has an eventTime no reader can read; as text it sorted after every real time.
    const redacted = join(work, "redacted");
    mkdirSync(redacted);
    for (let file = 0; file < 70; file++) {
      const day = String(1 + Math.floor(file / 24)).padStart(2, "0");
      const hour = String(file % 24).padStart(2, "0");
      const records = [
        s3Record(`s3-${file}`, `2024-03-${day}T${hour}:00:00Z`),
        s3Record(`r-${file}`, "redacted"),
      ];
      writeFileSync(join(redacted, `trail-${file}.json`), JSON.stringify({ Records: records }));
    }
    const [serial, parallel] = [1, 2].map((threads) =>
      runJson<ReplaySummary>(["replay", redacted, "--threads", String(threads)]),
    );
    expect([serial?.inputs.readThreads, parallel?.inputs.readThreads]).toEqual([1, 2]);
    const expected = [
      {
        account: "111122223333",
        region: "us-east-1",
        from: "2024-03-01T00:00:00.000Z",
        to: "2024-03-03T21:00:00.000Z",
        records: 70,
      },
    ];
    expect(serial?.coverage).toEqual(expected);
    expect(parallel?.coverage).toEqual(expected);
  });
});

describe("reading on worker threads, one eventID in two files with different content", () => {
  it("keeps the copy first in the input, as the main thread does, whichever worker delivers first", () => {
    // The first file is large, so the worker reading it usually delivers after the one reading the last file:
    // the copies then arrive out of input order, and the read is done again in one thread.
    const dir = join(work, "conflict");
    mkdirSync(dir);
    const key = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    const call = (eventName: string) => ({
      ...s3Record("same-event-id", "2024-03-02T10:00:00Z"),
      eventSource: "kms.amazonaws.com",
      eventName,
      requestParameters: { keyId: key },
      resources: [{ accountId: "111122223333", type: "AWS::KMS::Key", ARN: key }],
    });
    const noise = Array.from({ length: 20_000 }, (_, i) => s3Record(`noise-${i}`, "2024-03-02T09:00:00Z"));
    writeFileSync(join(dir, "f000.json"), JSON.stringify({ Records: [...noise, call("DisableKey")] }));
    for (let file = 1; file < 70; file++)
      writeFileSync(join(dir, `f${String(file).padStart(3, "0")}.json`), '{"Records":[]}');
    writeFileSync(join(dir, "f070.json"), JSON.stringify({ Records: [call("EnableKey")] }));
    const states = [1, 2, 2].map((threads, run) => {
      const file = join(work, `conflict-${run}.case.gz`);
      const summary = runJson<ReplaySummary>(["replay", dir, "--threads", String(threads), "-o", file]);
      expect(summary?.issues.byCode).toEqual({ "conflicting-duplicate": 1 });
      return runJson<KeyHistoryReport>(["key", key, "-c", file]);
    });
    expect(states[1]).toEqual(states[0]);
    expect(states[2]).toEqual(states[0]);
    expect(JSON.stringify(states[0])).toContain("Disabled");
  });
});

describe("reading on worker threads, more issues than the case keeps", () => {
  it("keeps the first in the input, the walk's own issues among them, as the main thread does", () => {
    const dir = join(work, "many-issues");
    mkdirSync(dir);
    symlinkSync(join(dir, "nowhere.json"), join(dir, "a-dangling.json"));
    const bad = Array.from({ length: 30 }, (_, i) => `{"eventID":"bad-${i}","eventTime":}`);
    for (let file = 0; file < 70; file++) {
      const good = JSON.stringify(s3Record(`s3-${file}`, "2024-03-02T10:00:00Z"));
      writeFileSync(join(dir, `f${String(file).padStart(3, "0")}.jsonl`), [good, ...bad].join("\n"));
    }
    const [serial, parallel] = [1, 2].map((threads) =>
      runJson<ReplaySummary>(["replay", dir, "--threads", String(threads), "--format", "json"]),
    );
    expect([serial?.inputs.readThreads, parallel?.inputs.readThreads]).toEqual([1, 2]);
    expect(serial?.issues.first[0]?.code).toBe("dangling-link");
    expect(parallel?.issues).toEqual(serial?.issues);
  });
});
