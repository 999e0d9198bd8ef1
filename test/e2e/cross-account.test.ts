import { describe, expect, it } from "vitest";
import type { WhoCanReport } from "../../src/query/index.js";
import { ACCOUNT, KEY_ARN } from "../events/helpers.js";
import { crossAccountPolicy, EXT_ADMIN, OUTSIDE_ACTIONS, PARTNER } from "../query/cross-account-case.js";
import { runCli, runJson } from "../support/run-cli.js";
import { createKeyRecord } from "../support/trail-records.js";

/**
 * The reviewer's reproduction through the CLI: a key policy allowing kms:Put*, ScheduleKeyDeletion, DisableKey and
 * Decrypt to a role and an account of other accounts. KMS refuses all but Decrypt across accounts, so who-can
 * must not list them for the others, nor offer them escalation through PutKeyPolicy.
 */
const trail = JSON.stringify({
  Records: [
    createKeyRecord("2024-03-02T09:00:00Z", crossAccountPolicy([EXT_ADMIN, PARTNER], OUTSIDE_ACTIONS)),
  ],
});
const whoCan = (operation: string) =>
  runJson<WhoCanReport>(
    ["who-can", KEY_ARN, "--at", "2024-03-02T10:00:00Z", "--op", operation, "-i", "-"],
    trail,
  );

describe("keytrail who-can and KMS's cross-account rule", () => {
  it.each(["Encrypt", "ScheduleKeyDeletion", "PutKeyPolicy"])(
    "--op %s lists no principal of another account, and names them in refusedAcrossAccounts",
    (operation) => {
      const report = whoCan(operation);
      const names = report.principals.map((entry) => entry.principal);
      expect(names).toEqual([`arn:aws:iam::${ACCOUNT}:user/admin`]);
      expect(report.refusedAcrossAccounts.map((entry) => entry.principal)).toEqual([PARTNER, EXT_ADMIN]);
    },
  );

  it("--op Decrypt lists them, and the table says why escalation is not offered", () => {
    expect(whoCan("Decrypt").principals.map((entry) => entry.principal)).toEqual(
      expect.arrayContaining([EXT_ADMIN, PARTNER]),
    );
    const args = ["who-can", KEY_ARN, "--at", "2024-03-02T10:00:00Z", "--op", "Decrypt", "-i", "-"];
    const table = runCli([...args, "--format", "table"], trail);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/KMS does not allow PutKeyPolicy across accounts/);
  });
});
