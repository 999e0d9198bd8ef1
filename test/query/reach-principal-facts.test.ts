import { describe, expect, it } from "vitest";
import { type ReachReport, reach, usage, whoCanAt } from "../../src/query/index.js";
import { KEY_ARN } from "../events/helpers.js";
import { BATCH, BOB, PARTNER, principalConditionsCase, REPORTS } from "./principal-conditions-case.js";

/**
 * reach asks about one principal, so the conditions its identity decides (aws:PrincipalArn, aws:PrincipalType,
 * and its account) are evaluated for it, as usage's attribution evaluates them for a logged caller: the two
 * never disagree about the same principal. who-can, which has no single caller, leaves them unknown.
 */

const model = principalConditionsCase;

const WINDOW = { from: Date.parse("2024-03-02T09:30:00Z"), to: Date.parse("2024-03-02T11:00:00Z") };
const keyOf = (report: ReachReport) => report.keys.find((entry) => entry.key.arn === KEY_ARN);

describe("reach evaluates the caller-identity conditions for the principal asked", () => {
  it("a user: no route (role/* never matches a user, and the Deny on users refuses it), as usage says", async () => {
    const loaded = await model;
    const report = reach(loaded, BOB, WINDOW);
    // Listed for the call it made, with no route.
    expect(report.keys).toMatchObject([
      { key: { arn: KEY_ARN }, operations: [], via: [], used: [{ operation: "Decrypt", count: 1 }] },
    ]);
    expect(report.usedButNotExplained).toMatchObject([
      { key: KEY_ARN, operation: "Decrypt", count: 1, reasons: { "denied-by-policy": 1 } },
    ]);
  });

  it("a role: Decrypt outright through the partner account's delegation, as usage attributes its call", async () => {
    const loaded = await model;
    const entry = keyOf(reach(loaded, BATCH, WINDOW));
    expect(entry).toMatchObject({ operations: ["Decrypt"], conditional: false });
    expect(entry?.via).toEqual([
      expect.objectContaining({ type: "iamDelegation", sid: "PartnerRoles", conditionResult: true }),
    ]);
    const call = usage(loaded, { calls: true }).detail?.find((c) => c.eventId === "role-call");
    expect(call?.attribution).toMatchObject({ basis: "iamDelegation", conditional: false });
  });

  it("one session of the role: the same, since a session acts with its role's ARN", async () => {
    const entry = keyOf(reach(await model, `arn:aws:sts::${PARTNER}:assumed-role/Batch/nightly`, WINDOW));
    expect(entry).toMatchObject({ operations: ["Decrypt"], conditional: false });
  });

  it("keeps a condition the role's IAM path decides undecided", async () => {
    const entry = keyOf(reach(await model, REPORTS, WINDOW));
    expect(entry?.conditional).toBe(false);
    expect(entry?.via.find((via) => via.sid === "ExactRole")).toMatchObject({
      conditionResult: "unknown",
      undecided: [expect.objectContaining({ key: "aws:PrincipalArn" })],
    });
  });

  it("the partner account asked as a whole stays conditional: its callers' identities are not known", async () => {
    const entry = keyOf(reach(await model, PARTNER, WINDOW));
    expect(entry).toMatchObject({ operations: ["Decrypt"], conditional: true });
  });

  it("who-can is unchanged: the delegation line keeps the conditions unknown, the Deny beside it", async () => {
    const report = whoCanAt(await model, KEY_ARN, WINDOW.from, { operation: "Decrypt" });
    const line = report.principals.find((entry) => entry.principal === PARTNER);
    expect(line).toMatchObject({
      conditional: true,
      denies: [expect.objectContaining({ sid: "NoUsers", conditionResult: "unknown" })],
    });
    expect(line?.via.map((via) => [via.sid, via.conditionResult])).toEqual([
      ["PartnerRoles", "unknown"],
      ["ExactRole", "unknown"],
    ]);
  });
});
