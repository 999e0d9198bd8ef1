import { describe, expect, it } from "vitest";
import { type ReachReport, reach } from "../../src/query/index.js";
import { csvDocument, reachBlocks, reachCsv, renderBlocks } from "../../src/render/index.js";
import { ACCOUNT, KEY_ARN } from "../events/helpers.js";
import {
  ADMIN,
  allow,
  crossAccountPolicy,
  EXT_ADMIN,
  OUTSIDE_ACTIONS,
  PARTNER,
} from "../query/cross-account-case.js";
import { readTable } from "../support/parse-csv.js";
import {
  assumedRoleIdentity,
  createGrantRecord,
  createKeyRecord,
  decryptRecord,
  replayRecords,
} from "../support/trail-records.js";

/**
 * What reach's JSON routes say about cross-account limits, which its CSV and table must say too, as who-can's do
 * (who-can-cross-account.test.ts): a route KMS limits to the key's account (`via.onlyAccount`: reach of `*`, or
 * of a principal whose account is not known, through the policy's GetKeyPolicy to `*`) and what an escalation
 * through a grant can give (`via.reaches`: a role granted Decrypt and CreateGrant, which also decrypts once).
 */
const DELEGATE = `arn:aws:iam::${ACCOUNT}:role/Delegate`;
const UNIQUE_ID = "AROAEXAMPLEUNKNOWN01";
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
  decryptRecord(
    assumedRoleIdentity(ACCOUNT, "Delegate", "day", "AROAEXAMPLEDELEGATE1"),
    "2024-03-02T10:00:00Z",
    "delegate-decrypt",
  ),
]);
const T = Date.parse("2024-03-02T09:30:00Z");
const WINDOW = { from: Date.parse("2024-03-02T09:00:00Z"), to: Date.parse("2024-03-02T11:00:00Z") };
const ask = async (principal: string, when: { at: number } | typeof WINDOW = { at: T }) =>
  reach(await model, principal, when);
const csvOf = (report: ReachReport) => readTable(csvDocument(reachCsv(report)));
const tableOf = (report: ReachReport) => renderBlocks(reachBlocks(report), "table");

describe("reach CSV: what KMS limits across accounts and what an escalation gives", () => {
  it("appends via.onlyAccount and via.reaches after every existing column", async () => {
    const { columns } = csvOf(await ask("*"));
    expect(columns.slice(0, 35)).toEqual([
      "section",
      "principal",
      "session",
      "at",
      "from",
      "to",
      "key.arn",
      "key.aliases",
      "key.state",
      "key.states",
      "operations",
      "conditional",
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
      "operation",
      "count",
      "denied",
      "first",
      "last",
      "eventIds",
      "reasons",
      "keyFromAlias",
    ]);
    expect(columns.slice(35)).toEqual(["via.onlyAccount", "via.reaches"]);
  });

  it("gives a route to * its onlyAccount, for * and for a principal whose account is not known", async () => {
    for (const principal of ["*", UNIQUE_ID]) {
      const report = await ask(principal);
      expect(report.keys[0]?.via[0]?.onlyAccount).toBe(ACCOUNT);
      expect(csvOf(report).rows).toEqual([
        expect.objectContaining({
          section: "keys",
          "key.arn": KEY_ARN,
          operations: "GetKeyPolicy",
          conditional: "true",
          "via.sid": "Anyone",
          "via.onlyAccount": ACCOUNT,
          "via.reaches": "",
        }),
      ]);
    }
  });

  it("leaves onlyAccount empty on the same route for a principal of the key's account", async () => {
    const rows = csvOf(await ask(ADMIN)).rows.filter((row) => row.section === "keys");
    expect(rows.find((row) => row["via.sid"] === "Anyone")).toMatchObject({ "via.onlyAccount": "" });
    expect(rows.every((row) => row["via.onlyAccount"] === "" && row["via.reaches"] === "")).toBe(true);
  });

  it("gives an escalation through a grant's CreateGrant the operations it can give, and no other row", async () => {
    const report = await ask(DELEGATE, WINDOW);
    const escalation = report.keys[0]?.via.find((via) => via.type === "escalation");
    expect(escalation?.reaches).toEqual(["Decrypt", "CreateGrant"]);
    const rows = csvOf(report).rows;
    expect(rows.filter((row) => row["via.reaches"] !== "")).toEqual([
      expect.objectContaining({
        section: "keys",
        "via.type": "escalation",
        "via.action": "CreateGrant",
        "via.grantId": "g-delegate",
        "via.reaches": "Decrypt CreateGrant",
        "via.onlyAccount": "",
      }),
    ]);
    expect(rows.find((row) => row.section === "used")).toMatchObject({
      operation: "Decrypt",
      count: "1",
      "via.onlyAccount": "",
      "via.reaches": "",
    });
  });
});

describe("reach table: what KMS limits across accounts and what an escalation gives", () => {
  it("says in the conditions that a route to * serves the key's account only", async () => {
    expect(tableOf(await ask("*"))).toMatch(
      /policy "Anyone" +only account 111122223333 for GetKeyPolicy \(not cross-account\) +not used/,
    );
    expect(tableOf(await ask(UNIQUE_ID))).toContain(
      "only account 111122223333 for GetKeyPolicy (not cross-account)",
    );
  });

  it("says nothing of it for a principal of the key's account", async () => {
    expect(tableOf(await ask(ADMIN))).not.toContain("only account");
  });

  it("says what an escalation through a grant can give", async () => {
    expect(tableOf(await ask(DELEGATE, WINDOW))).toMatch(
      /escalation by CreateGrant +CreateGrant gives only Decrypt, CreateGrant +Decrypt 1 ok/,
    );
  });

  it("writes the same in Markdown", async () => {
    const text = renderBlocks(reachBlocks(await ask(DELEGATE, WINDOW)), "md");
    expect(text).toContain("| CreateGrant gives only Decrypt, CreateGrant |");
    expect(renderBlocks(reachBlocks(await ask("*")), "md")).toContain(
      "| only account 111122223333 for GetKeyPolicy (not cross-account) |",
    );
  });
});
