import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { runCli, runJson } from "../support/run-cli.js";

const AT = "2024-12-17T13:45:00Z";
const ACCOUNTS = ["fixtures/demo/AWSLogs/111122223333", "fixtures/demo/AWSLogs/999988887777"];
const caseFile = join(mkdtempSync(join(tmpdir(), "keytrail-arguments-")), "demo.case.gz");

describe("the CLI (built): arguments next to list options", () => {
  beforeAll(() => {
    expect(runCli(["replay", "fixtures/demo", "-o", caseFile, "--format", "json"]).code).toBe(0);
  });

  it.each([
    ["key", "alias/payments", ["--at", AT]],
    ["who-can", "alias/payments", ["--at", AT]],
    ["reach", "arn:aws:iam::999988887777:role/data-sync", ["--at", AT]],
  ])(
    "%s: the argument after -i paths is the argument, and the answer is the case file's",
    (command, argument, rest) => {
      const expected = runJson([command, argument, ...rest, "-c", caseFile]);
      expect(runJson([command, "-i", "fixtures/demo", argument, ...rest])).toEqual(expected);
      expect(runJson([command, ...rest, "-i", ...ACCOUNTS, argument])).toEqual(expected);
    },
  );

  it("who-can: the key after --context pairs is the key", () => {
    const context = ["--context", "kms:EncryptionContext:app=payments", "aws:PrincipalOrgID=o-1"];
    const expected = runJson(["who-can", "alias/payments", "--at", AT, ...context, "-c", caseFile]);
    expect(runJson(["who-can", "--at", AT, "-c", caseFile, ...context, "alias/payments"])).toEqual(expected);
  });

  it("who-can: a pair without a prefix before the key is refused as such, the key still read as the key", () => {
    const pair = ["--context", "Department=Finance"];
    const run = runCli(["who-can", "--at", AT, "-c", caseFile, ...pair, "alias/payments"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('keytrail: invalid options\n  --context: "Department" is no condition key');
    expect(run.stderr).not.toContain("missing required argument");
  });

  it("a list still ends at a word it could hold: with the argument missing, commander says so", () => {
    const run = runCli(["who-can", "--at", AT, "-i", ...ACCOUNTS]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("missing required argument 'key'");
  });

  it.each([
    [["key", "", "-c"], "<key>"],
    [["who-can", "", "--at", AT, "-c"], "<key>"],
    [["reach", "", "--at", AT, "-c"], "<principal>"],
  ])("%j <case>: a rejected argument is named as the help names it", (args, argument) => {
    const run = runCli([...args, caseFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(`keytrail: invalid options\n  ${argument}: `);
    expect(run.stderr).not.toMatch(/--(key|principal):/);
  });

  it("an option named like another command's argument is still named as the option", () => {
    const run = runCli(["usage", "--key", "", "-c", caseFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("keytrail: invalid options\n  --key: ");
  });
});
