import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ReachReport, WhoCanReport } from "../../src/query/index.js";
import { runCli, runJson } from "../support/run-cli.js";

const PAYMENTS = "arn:aws:kms:us-east-1:111122223333:key/a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d";
const caseFile = join(mkdtempSync(join(tmpdir(), "keytrail-who-can-")), "demo.case.gz");

describe("keytrail who-can and reach on the demo incident", () => {
  beforeAll(() => {
    expect(runCli(["replay", "fixtures/demo", "-o", caseFile, "--format", "json"]).code).toBe(0);
  });

  it("prints the DESIGN §8 who-can JSON, the same from the case file and from the logs", () => {
    const args = ["who-can", "alias/payments", "--at", "2024-12-17T13:00:00Z"];
    const report = runJson<WhoCanReport>([...args, "-c", caseFile]);
    expect(Object.keys(report)).toEqual(
      expect.arrayContaining(["key", "at", "operation", "usable", "blockedBy", "principals", "caveats"]),
    );
    expect(report.key).toMatchObject({
      arn: PAYMENTS,
      aliases: ["alias/payments"],
      state: "Unknown",
      stateKnown: false,
    });
    expect(report).toMatchObject({ operation: "*", usable: true, blockedBy: null, principals: [] });
    expect(runJson<WhoCanReport>([...args, "-i", "fixtures/demo"])).toEqual(report);
  });

  it("takes --op and request facts, and decides the condition with them", () => {
    const base = ["who-can", PAYMENTS, "--at", "2024-12-17T13:45:00Z", "--op", "kms:Decrypt", "-c", caseFile];
    const open = runJson<WhoCanReport>(base);
    expect(open.operation).toBe("Decrypt");
    const anyone = open.principals.find((p) => p.principal === "*");
    expect(anyone).toMatchObject({ kind: "any", conditional: true, operations: ["Decrypt"] });
    expect(anyone?.via[0]).toMatchObject({ type: "keyPolicy", eventIds: [expect.any(String)] });
    const insider = runJson<WhoCanReport>([
      ...base,
      "--caller-account",
      "111122223333",
      "--context",
      "kms:EncryptionContext:app=payments",
    ]);
    expect(insider.principals.map((p) => p.principal)).not.toContain("*");
  });

  it("answers a mistyped operation from wildcards only, and says so on stderr and in the caveats", () => {
    const args = ["who-can", PAYMENTS, "--at", "2024-12-17T13:45:00Z", "-c", caseFile, "--format", "json"];
    const run = runCli([...args, "--op", "Decrpyt"]);
    expect(run.code).toBe(0);
    const note =
      '"Decrpyt" is not a KMS action AWS lists: only wildcard statements can match it; did you mean Decrypt?';
    expect(run.stderr).toBe(`keytrail: warning: ${note}\n`);
    expect((JSON.parse(run.stdout) as WhoCanReport).caveats).toContain(note);
    // A KMS action, with or without its prefix, warns of nothing.
    expect(runCli([...args, "--op", "kms:Decrypt"]).stderr).toBe("");
  });

  it("renders a table with the header, the principals and the caveats", () => {
    const run = runCli([
      "who-can",
      PAYMENTS,
      "--at",
      "2024-12-17T13:45:00Z",
      "-c",
      caseFile,
      "--format",
      "table",
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/usable: +yes/);
    expect(run.stdout).toMatch(/999988887777 +account .*IAM of 999988887777/);
    expect(run.stdout).toContain("kms:CallerAccount=999988887777");
    expect(run.stdout).toContain("Caveats");
    expect(
      runCli(["who-can", PAYMENTS, "--at", "2024-12-17T13:45:00Z", "-c", caseFile, "--format", "md"]).stdout,
    ).toContain("| principal | kind | operations |");
  });

  it("prints the reach JSON for a session ARN over a window", () => {
    const report = runJson<ReachReport>([
      "reach",
      "arn:aws:sts::999988887777:assumed-role/data-sync/mallory",
      "--from",
      "2024-12-17T12:00:00Z",
      "--to",
      "2024-12-17T15:00:00Z",
      "-c",
      caseFile,
    ]);
    expect(report).toMatchObject({
      principal: "arn:aws:iam::999988887777:role/data-sync",
      kind: "role",
      from: "2024-12-17T12:00:00.000Z",
    });
    // The new key N, reached from its creation at 13:15 (the outsider's account is delegated): alias/payments,
    // repointed to it at 13:17, between two instants evaluated, is listed.
    expect(report.keys[0]).toEqual(
      expect.objectContaining({
        key: expect.objectContaining({
          arn: expect.stringMatching(/907103ba-2cd9-4153-989a-e5e47532ac3f$/),
          aliases: ["alias/payments"],
          state: expect.any(String),
        }),
        used: expect.any(Array),
      }),
    );
    expect(report.usedButNotExplained).toEqual([]);
    const table = runCli([
      "reach",
      "999988887777",
      "--at",
      "2024-12-17T13:45:00Z",
      "-c",
      caseFile,
      "--format",
      "table",
    ]);
    expect(table.stdout).toContain("Keys it could use");
  });

  it.each([
    [["who-can", PAYMENTS, "-c", caseFile]],
    [["who-can", "alias/nope", "--at", "2024-12-17T13:45:00Z", "-c", caseFile]],
    [["who-can", PAYMENTS, "--at", "2024-12-17T13:45:00Z", "--caller-account", "12", "-c", caseFile]],
    [["who-can", PAYMENTS, "--at", "2024-12-17T13:45:00Z", "--context", "novalue", "-c", caseFile]],
    [["reach", "999988887777", "-c", caseFile]],
    [
      [
        "reach",
        "999988887777",
        "--at",
        "2024-12-17T13:45:00Z",
        "--from",
        "2024-12-17T13:00:00Z",
        "-c",
        caseFile,
      ],
    ],
    [
      [
        "reach",
        "999988887777",
        "--from",
        "2024-12-17T15:00:00Z",
        "--to",
        "2024-12-17T13:00:00Z",
        "-c",
        caseFile,
      ],
    ],
  ])("exits 1 on bad usage: %j", (args) => {
    const run = runCli(args);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).not.toMatch(/internal error/);
  });
});
