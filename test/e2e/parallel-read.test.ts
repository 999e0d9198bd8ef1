import { cpSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { readOptions, replayOptionsSchema } from "../../src/cli/commands/replay.js";
import type { KeyHistoryReport, ReplaySummary } from "../../src/query/index.js";
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
    expect({ ...parallel, caseFile: null, caseBytes: null }).toEqual({
      ...serial,
      caseFile: null,
      caseBytes: null,
    });
    const history = (file: string) =>
      runJson<KeyHistoryReport>([
        "key",
        "arn:aws:kms:us-east-1:111122223333:key/a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d",
        "-c",
        file,
      ]);
    expect(history(cases[1] as string)).toEqual(history(cases[0] as string));
  });

  // The comparison above means something only if --threads reaches the reader (it once did not).
  it("--threads is what the replay reads with", () => {
    // As commander hands them over: option values are strings.
    const readWith = (raw: Record<string, unknown>) =>
      readOptions(replayOptionsSchema.parse({ inputs: [trail], ...raw }));
    expect(readWith({ threads: "1" })).toEqual({ threads: 1 });
    expect(readWith({})).toEqual({});
  });
});
