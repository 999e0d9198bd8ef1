import { describe, expect, it } from "vitest";
import { type WhoCanReport, whoCanAt } from "../../src/query/index.js";
import { csvDocument, renderBlocks, whoCanBlocks, whoCanCsv } from "../../src/render/index.js";
import { ACCOUNT, KEY_ARN } from "../events/helpers.js";
import {
  ADMIN,
  allow,
  crossAccountPolicy,
  EXT_ADMIN,
  OUTSIDE_ACTIONS,
  OUTSIDER,
  PARTNER,
} from "../query/cross-account-case.js";
import { readTable } from "../support/parse-csv.js";
import { createGrantRecord, createKeyRecord, replayRecords } from "../support/trail-records.js";

/**
 * What who-can's JSON says beyond the principals, which the CSV and the table must say too: the principals of
 * other accounts KMS refuses operations the policy names them for (`refusedAcrossAccounts`), a route KMS limits to
 * the key's account (`via.onlyAccount`), and what an escalation through a grant can give (`via.reaches`). The
 * reviewer's cross-account policy (test/query/cross-account-case.ts), with GetKeyPolicy to `*`, and a grant that
 * lets a role create grants for Decrypt.
 */
const DELEGATE = `arn:aws:iam::${ACCOUNT}:role/Delegate`;
const model = replayRecords([
  createKeyRecord(
    "2024-03-02T09:00:00Z",
    crossAccountPolicy(
      [EXT_ADMIN, PARTNER],
      [...OUTSIDE_ACTIONS, "kms:GetKeyPolicy"],
      allow("Anyone", "*", ["kms:GetKeyPolicy"]),
    ),
  ),
  createGrantRecord("2024-03-02T09:10:00Z", "g-delegate", DELEGATE, ["Decrypt", "CreateGrant"]),
]);
const T = Date.parse("2024-03-02T09:30:00Z");
const ask = async (operation?: string): Promise<WhoCanReport> =>
  whoCanAt(await model, KEY_ARN, T, operation === undefined ? {} : { operation });
const csvOf = (report: WhoCanReport) => readTable(csvDocument(whoCanCsv(report)));

describe("who-can CSV: what KMS refuses or limits across accounts", () => {
  it("appends the new columns after every existing one, in a stable order", async () => {
    const { columns } = csvOf(await ask("PutKeyPolicy"));
    expect(columns.slice(0, 30)).toEqual([
      "section",
      "key.arn",
      "at",
      "key.state",
      "usable",
      "blockedBy",
      "blockedOperations",
      "principal",
      "kind",
      "operations",
      "conditional",
      "conditionalOperations",
      "denies",
      "via.type",
      "via.sid",
      "via.statement",
      "via.grantId",
      "via.account",
      "via.action",
      "via.conditions",
      "via.conditionResult",
      "via.undecided",
      "via.constraints",
      "via.operationsUnknown",
      "via.except",
      "via.partial",
      "via.operations",
      "via.eventIds",
      "sid",
      "statement",
    ]);
    expect(columns.slice(30)).toEqual([
      "via.onlyAccount",
      "via.reaches",
      "account",
      "escalation",
      "statements",
    ]);
  });

  it("has a refusedAcrossAccounts row per principal KMS refuses, with its account, operations and statements", async () => {
    const report = await ask("PutKeyPolicy");
    expect(report.refusedAcrossAccounts).toHaveLength(2);
    const refused = csvOf(report).rows.filter((row) => row.section === "refusedAcrossAccounts");
    expect(refused).toEqual([
      expect.objectContaining({
        principal: PARTNER,
        kind: "account",
        account: PARTNER,
        operations: "PutKeyPolicy",
        escalation: "PutKeyPolicy",
        statements: "1",
        "key.arn": KEY_ARN,
        "via.type": "",
        conditional: "",
      }),
      expect.objectContaining({
        principal: EXT_ADMIN,
        kind: "role",
        account: OUTSIDER,
        operations: "PutKeyPolicy",
        statements: "1",
      }),
    ]);
  });

  it("names the refused escalation of a principal listed for Decrypt, which it keeps", async () => {
    const table = csvOf(await ask("Decrypt"));
    expect(table.rows.filter((row) => row.principal === EXT_ADMIN).map((row) => row.section)).toEqual([
      "principals",
      "refusedAcrossAccounts",
    ]);
    expect(table.rows.find((row) => row.section === "refusedAcrossAccounts")).toMatchObject({
      operations: "",
      escalation: "PutKeyPolicy",
    });
  });

  it("gives a route to * its onlyAccount, and leaves it empty on other routes", async () => {
    const rows = csvOf(await ask("GetKeyPolicy")).rows.filter((row) => row.section === "principals");
    expect(rows.find((row) => row.principal === "*")).toMatchObject({
      "via.sid": "Anyone",
      "via.onlyAccount": ACCOUNT,
      conditional: "true",
    });
    expect(rows.find((row) => row.principal === ADMIN)?.["via.onlyAccount"]).toBe("");
  });

  it("gives an escalation through a grant's CreateGrant the operations it can give (via.reaches)", async () => {
    const report = await ask("Decrypt");
    const route = report.principals
      .find((entry) => entry.principal === DELEGATE)
      ?.via.find((via) => via.type === "escalation");
    expect(route?.reaches).toEqual(["Decrypt", "CreateGrant"]);
    const row = csvOf(report).rows.find(
      (candidate) => candidate.principal === DELEGATE && candidate["via.type"] === "escalation",
    );
    expect(row).toMatchObject({ "via.action": "CreateGrant", "via.reaches": "Decrypt CreateGrant" });
  });
});

describe("who-can table: what KMS refuses or limits across accounts", () => {
  const table = async (operation?: string) => renderBlocks(whoCanBlocks(await ask(operation)), "table");

  it("lists the principals KMS refuses across accounts, beside the caveat", async () => {
    const text = await table("PutKeyPolicy");
    expect(text).toContain("Refused across accounts");
    expect(text).toMatch(/principal +account +operations refused +escalation refused +statements/);
    expect(text).toMatch(
      new RegExp(
        `${EXT_ADMIN.replace(/[/]/g, "\\/")} +${OUTSIDER} +PutKeyPolicy +PutKeyPolicy +statement #1`,
      ),
    );
    expect(text).toMatch(new RegExp(`${PARTNER} +${PARTNER} +PutKeyPolicy +PutKeyPolicy +statement #1`));
  });

  it("shows no such section when KMS refuses nobody", async () => {
    const report = await ask("PutKeyPolicy");
    const text = renderBlocks(whoCanBlocks({ ...report, refusedAcrossAccounts: [] }), "table");
    expect(text).not.toContain("Refused across accounts");
  });

  it("says in the conditions that a route to * serves the key's account only", async () => {
    const text = await table("GetKeyPolicy");
    expect(text).toMatch(
      /\* +any +GetKeyPolicy +policy "Anyone" +only account 111122223333 for GetKeyPolicy \(not cross-account\) +conditional/,
    );
    expect(await table()).toContain("only account 111122223333 for GetKeyPolicy (not cross-account)");
  });

  it("counts the operations of a route limited to the key's account when they are many, naming the first", async () => {
    const report = await ask("GetKeyPolicy");
    const many = ["DisableKey", "GetKeyPolicy", "PutKeyPolicy", "ScheduleKeyDeletion", "TagResource"];
    const principals = report.principals.map((entry) =>
      entry.principal === "*"
        ? { ...entry, via: entry.via.map((via) => ({ ...via, operations: many })) }
        : entry,
    );
    expect(renderBlocks(whoCanBlocks({ ...report, principals }), "table")).toContain(
      "only account 111122223333 for 5 operations not cross-account (DisableKey, GetKeyPolicy, PutKeyPolicy, …)",
    );
  });

  it("says what an escalation through a grant can give", async () => {
    expect(await table("Decrypt")).toMatch(/grant g-delegate.*CreateGrant gives only Decrypt, CreateGrant/);
  });

  it("writes the same in Markdown", async () => {
    const text = renderBlocks(whoCanBlocks(await ask("PutKeyPolicy")), "md");
    expect(text).toContain("| principal | account | operations refused | escalation refused | statements |");
  });
});
