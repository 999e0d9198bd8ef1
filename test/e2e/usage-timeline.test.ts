import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { TimelineReport, UsageReport } from "../../src/query/index.js";
import { runCli, runJson } from "../support/run-cli.js";

const PAYMENTS = "arn:aws:kms:us-east-1:111122223333:key/a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d";
const caseFile = join(mkdtempSync(join(tmpdir(), "keytrail-usage-")), "demo.case.gz");

describe("keytrail usage and timeline on the demo incident", () => {
  beforeAll(() => {
    expect(runCli(["replay", "fixtures/demo", "-o", caseFile, "--format", "json"]).code).toBe(0);
  });

  it("prints the DESIGN §8 usage shape, the same from the case file and from the logs", () => {
    const args = ["usage", "--key", PAYMENTS, "--principal", "arn:aws:iam::999988887777:role/data-sync"];
    const report = runJson<UsageReport>([...args, "-c", caseFile]);
    const decrypt = report.calls.find((group) => group.operation === "Decrypt");
    expect(decrypt).toMatchObject({
      principal: "arn:aws:iam::999988887777:role/data-sync",
      key: PAYMENTS,
      count: 11,
    });
    expect(decrypt?.denied).toBe(4);
    expect(decrypt?.errors).toEqual({ AccessDenied: 3, KMSInvalidStateException: 1 });
    expect(Object.values(decrypt?.attribution.grantIds ?? {})).toEqual([11]);
    expect(Object.keys(decrypt?.attribution.grantIds ?? {})[0]).toMatch(/^a8e26855/);
    expect(runJson<UsageReport>([...args, "-i", "fixtures/demo"])).toEqual(report);
  });

  it("lists every call with its attribution under --calls, and renders a readable table", () => {
    const report = runJson<UsageReport>([
      "usage",
      "--key",
      "alias/payments",
      "--op",
      "GenerateDataKey",
      "--calls",
      "-c",
      caseFile,
    ]);
    expect(report.query.keys?.length).toBe(2);
    expect(report.detail?.length).toBe(report.totals.calls);
    const table = runCli(["usage", "--key", PAYMENTS, "-c", caseFile, "--format", "table"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("Calls by principal, key and operation");
    expect(table.stdout).toContain("999988887777:role/data-sync");
  });

  it("prints the timeline as JSON, CSV and Timesketch JSONL", () => {
    const report = runJson<TimelineReport>(["timeline", "--key", PAYMENTS, "-c", caseFile]);
    expect(report.entries.some((entry) => entry.name === "StopLogging")).toBe(true);
    const csv = runCli(["timeline", "--key", PAYMENTS, "-c", caseFile, "--format", "csv"]);
    expect(csv.stdout.split("\n")[0]).toBe(
      "time,end,kind,confidence,account,region,actor,sessions,invokedBy,sourceIp,keys,name,summary,error,count," +
        "eventIds,eventIdsOmitted",
    );
    const jsonl = runCli(["timeline", "--key", PAYMENTS, "-c", caseFile, "--format", "timesketch"]);
    expect(jsonl.code).toBe(0);
    expect(jsonl.stderr).toBe("");
    const lines = jsonl.stdout
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(lines).toHaveLength(report.entries.length);
    expect(lines.every((line) => line.message && line.datetime && line.timestamp_desc)).toBe(true);
  });

  it("exits 1 on a bad time or format, and on an alias that named no key in the window", () => {
    expect(runCli(["usage", "--from", "yesterday", "-c", caseFile]).code).toBe(1);
    expect(runCli(["timeline", "-c", caseFile, "--format", "xml"]).code).toBe(1);
    const run = runCli(["usage", "--key", "alias/payments", "--to", "2024-01-01T00:00:00Z", "-c", caseFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^keytrail: usage: alias "alias\/payments" named no key/);
  });
});
