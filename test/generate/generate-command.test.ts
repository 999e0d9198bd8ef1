import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import type { GenerateSummary } from "../../src/generate/index.js";
import { runCli, runJson } from "../support/run-cli.js";

const out = mkdtempSync(join(tmpdir(), "keytrail-generate-cli-"));
afterAll(() => rmSync(out, { recursive: true, force: true }));

describe("keytrail generate", () => {
  it("writes a trail and prints what it wrote as JSON, which replay then reads in full", () => {
    const summary = runJson<GenerateSummary>([
      "generate",
      "--out",
      out,
      "--records",
      "800",
      "--keys",
      "5",
      "--accounts",
      "2",
      "--regions",
      "1",
      "--start",
      "2024-03-02T10:00:00Z",
      "--days",
      "0.25",
      "--seed",
      "3",
    ]);
    expect(summary).toMatchObject({
      records: 800,
      keys: 5,
      regions: ["us-east-1"],
      from: "2024-03-02T10:00:00Z",
    });
    expect(summary.accounts).toHaveLength(2);
    const replay = runJson<{ records: { read: number; accountedFor: boolean }; issues: { total: number } }>([
      "replay",
      out,
    ]);
    expect(replay.records).toMatchObject({ read: 800, accountedFor: true });
    expect(replay.issues.total).toBe(0);
  });

  it("rejects a bad option with exit 1", () => {
    const run = runCli(["generate", "--out", out, "--kms-fraction", "1.5"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("--kms-fraction: ");
  });
});
