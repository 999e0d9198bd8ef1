import { describe, expect, it } from "vitest";
import { CROSS_ACCOUNT_ACTIONS, SAME_ACCOUNT_ACTIONS } from "../../src/policy/index.js";
import {
  KEY_OPERATIONS,
  questionContext,
  type ReachReport,
  reach,
  usage,
  type WhoCanReport,
  whoCanAt,
} from "../../src/query/index.js";
import { ACCOUNT, KEY_ARN, KEY_RESOURCES, kmsRecord } from "../events/helpers.js";
import { assumedRoleIdentity, createKeyRecord, replayRecords } from "../support/trail-records.js";
import {
  ADMIN,
  allow,
  crossAccountPolicy,
  EXT_ADMIN,
  OUTSIDE_ACTIONS,
  OUTSIDER,
  PARTNER,
} from "./cross-account-case.js";

/**
 * KMS's cross-account rule (docs/authorization.md, "Cross-account use"): a key policy that allows kms:Put*,
 * ScheduleKeyDeletion or DisableKey to another account has no effect, while Decrypt works across accounts. The
 * reviewer's reproduction: who-can listed the outside role and account for ScheduleKeyDeletion and PutKeyPolicy,
 * and as able to escalate to Encrypt through PutKeyPolicy. who-can, reach and usage's attribution must agree.
 */
const LOCAL_OPS = `arn:aws:iam::${ACCOUNT}:role/Ops`;

const policy = crossAccountPolicy(
  [EXT_ADMIN, PARTNER],
  [...OUTSIDE_ACTIONS, "kms:GetKeyPolicy"],
  allow("Anyone", "*", ["kms:GetKeyPolicy"]),
);

const ext = assumedRoleIdentity(OUTSIDER, "ExtAdmin", "mallory", "AROAEXAMPLEEXTADMIN1");
const ops = assumedRoleIdentity(ACCOUNT, "Ops", "day", "AROAEXAMPLELOCALOPS1");
const call = (identity: object, eventName: string, eventTime: string, eventID: string) =>
  kmsRecord({
    eventName,
    eventTime,
    eventID,
    userIdentity: identity,
    readOnly: true,
    requestParameters: { keyId: KEY_ARN },
    resources: KEY_RESOURCES,
  });

const model = replayRecords([
  createKeyRecord("2024-03-02T09:00:00Z", policy),
  call(ext, "Decrypt", "2024-03-02T10:00:00Z", "ext-decrypt"),
  // KMS refuses GetKeyPolicy across accounts: a logged success contradicts the policy, and nothing explains it.
  call(ext, "GetKeyPolicy", "2024-03-02T10:01:00Z", "ext-get-policy"),
  call(ops, "GetKeyPolicy", "2024-03-02T10:02:00Z", "ops-get-policy"),
]);

const T = Date.parse("2024-03-02T09:30:00Z");
const WINDOW = { from: Date.parse("2024-03-02T09:00:00Z"), to: Date.parse("2024-03-02T11:00:00Z") };
const ask = async (operation: string, context?: Record<string, string>) =>
  whoCanAt(await model, KEY_ARN, T, {
    operation,
    ...(context ? { context: questionContext({ callerAccount: context.callerAccount }) } : {}),
  });
const line = (report: WhoCanReport, principal: string) =>
  report.principals.find((entry) => entry.principal === principal);
const names = (report: WhoCanReport) => report.principals.map((entry) => entry.principal);
const keyOf = (report: ReachReport) => report.keys.find((entry) => entry.key.arn === KEY_ARN);

describe("who-can: operations KMS refuses across accounts", () => {
  it.each(["ScheduleKeyDeletion", "PutKeyPolicy", "DisableKey"])(
    "does not list principals of another account for %s, and says why",
    async (operation) => {
      const report = await ask(operation);
      expect(names(report)).toContain(ADMIN);
      expect(names(report)).not.toContain(EXT_ADMIN);
      expect(names(report)).not.toContain(PARTNER);
      expect(report.refusedAcrossAccounts).toEqual([
        expect.objectContaining({
          principal: PARTNER,
          account: PARTNER,
          operations: [operation],
          statements: [1],
        }),
        expect.objectContaining({ principal: EXT_ADMIN, account: OUTSIDER, operations: [operation] }),
      ]);
      expect(report.caveats.join(" ")).toMatch(/across accounts.*Cross-account use: No.*ExtAdmin/);
    },
  );

  it("lists them for Decrypt, which is cross-account", async () => {
    const report = await ask("Decrypt");
    expect(line(report, EXT_ADMIN)).toMatchObject({ operations: ["Decrypt"], conditional: false });
    expect(line(report, PARTNER)?.via).toEqual([expect.objectContaining({ type: "iamDelegation" })]);
    // Only their way to escalate, through PutKeyPolicy, is refused.
    expect(
      report.refusedAcrossAccounts.map(({ operations, escalation }) => [operations, escalation]),
    ).toEqual([
      [[], ["PutKeyPolicy"]],
      [[], ["PutKeyPolicy"]],
    ]);
  });

  it("offers no escalation through PutKeyPolicy to another account (Encrypt)", async () => {
    const report = await ask("Encrypt");
    expect(names(report)).not.toContain(EXT_ADMIN);
    expect(names(report)).not.toContain(PARTNER);
    expect(line(report, ADMIN)?.via.map((via) => via.action ?? via.type)).toEqual([
      "keyPolicy",
      "PutKeyPolicy",
      "CreateGrant",
    ]);
    expect(report.refusedAcrossAccounts).toEqual([
      expect.objectContaining({ principal: PARTNER, operations: [], escalation: ["PutKeyPolicy"] }),
      expect.objectContaining({ principal: EXT_ADMIN, operations: [], escalation: ["PutKeyPolicy"] }),
    ]);
  });

  it("keeps a route to * for the key's account only, conditional, unless the caller's account is given", async () => {
    const report = await ask("GetKeyPolicy");
    expect(line(report, "*")).toMatchObject({ conditional: true });
    expect(line(report, "*")?.via).toEqual([
      expect.objectContaining({ type: "keyPolicy", sid: "Anyone", onlyAccount: ACCOUNT }),
    ]);
    expect(report.caveats.join(" ")).toMatch(/serve principals of the key's account 111122223333 only/);
    const own = await ask("GetKeyPolicy", { callerAccount: ACCOUNT });
    expect(line(own, "*")).toMatchObject({ conditional: false });
    expect(line(own, "*")?.via[0]?.onlyAccount).toBeUndefined();
    const outside = await ask("GetKeyPolicy", { callerAccount: OUTSIDER });
    expect(names(outside)).not.toContain("*");
  });

  it("without --op, a statement of * lists its cross-account and same-account operations as two routes", async () => {
    const report = whoCanAt(await model, KEY_ARN, T);
    expect(line(report, EXT_ADMIN)?.operations).toEqual(["Decrypt"]);
    expect(line(report, "*")?.via).toEqual([
      expect.objectContaining({ sid: "Anyone", onlyAccount: ACCOUNT, operations: ["GetKeyPolicy"] }),
    ]);
    expect(line(report, "*")?.conditionalOperations).toEqual(["GetKeyPolicy"]);
  });
});

describe("reach and usage's attribution apply the same rule", () => {
  it("reach of the outside role: Decrypt, not PutKeyPolicy, ScheduleKeyDeletion, DisableKey nor escalation", async () => {
    const entry = keyOf(reach(await model, EXT_ADMIN, { at: T }));
    expect(entry?.operations).toEqual(["Decrypt"]);
    expect(entry?.via.some((via) => via.type === "escalation")).toBe(false);
  });

  it("reach of the outside account: Decrypt only", async () => {
    expect(keyOf(reach(await model, PARTNER, { at: T }))?.operations).toEqual(["Decrypt"]);
  });

  it("reach of a role of the key's account: the route to * holds outright", async () => {
    const entry = keyOf(reach(await model, LOCAL_OPS, { at: T }));
    expect(entry).toMatchObject({ operations: ["GetKeyPolicy"], conditional: false });
    expect(entry?.via[0]?.onlyAccount).toBeUndefined();
  });

  it("a logged GetKeyPolicy by the outside role stays used but is explained by no route", async () => {
    const loaded = await model;
    const calls = usage(loaded, { calls: true }).detail ?? [];
    expect(calls.find((c) => c.eventId === "ext-decrypt")?.attribution).toMatchObject({
      basis: "keyPolicy",
      conditional: false,
    });
    expect(calls.find((c) => c.eventId === "ext-get-policy")?.attribution).toMatchObject({
      basis: "none",
      noneReason: "no-route",
    });
    expect(calls.find((c) => c.eventId === "ops-get-policy")?.attribution).toMatchObject({
      basis: "keyPolicy",
      conditional: false,
      candidates: [expect.objectContaining({ sid: "Anyone" })],
    });
    const report = reach(loaded, EXT_ADMIN, WINDOW);
    expect(keyOf(report)?.used).toEqual(
      expect.arrayContaining([expect.objectContaining({ operation: "GetKeyPolicy", count: 1 })]),
    );
    expect(report.usedButNotExplained).toEqual([
      expect.objectContaining({ operation: "GetKeyPolicy", count: 1, reasons: { "no-route": 1 } }),
    ]);
  });
});

/**
 * A key-policy statement naming a role or user of another account is not enough: an IAM policy in that account
 * must allow the action too (AWS KMS Developer Guide, "Allowing users in other accounts to use a KMS key"), as
 * for an account's IAM delegation. The answer says so without making the route conditional.
 */
describe("a role of another account named by the key policy also needs IAM in its account", () => {
  const needsIam =
    /key-policy routes to principals of another account than the key's: (.*): as for iamDelegation, each also needs an IAM policy in its own account/;
  const outsideCaveat = (caveats: string[]) =>
    caveats.map((caveat) => needsIam.exec(caveat)?.[1]).find(Boolean);

  it("who-can says so of the outside role, and of no principal of the key's account", async () => {
    const report = await ask("Decrypt");
    expect(line(report, EXT_ADMIN)).toMatchObject({ conditional: false });
    expect(outsideCaveat(report.caveats)).toBe(`${EXT_ADMIN} (IAM in ${OUTSIDER})`);
    expect(report.caveats.join(" ")).toMatch(`iamDelegation to ${PARTNER}`);
    expect(outsideCaveat((await ask("ScheduleKeyDeletion")).caveats)).toBeUndefined();
  });

  it("reach of the outside role says so; reach of a role of the key's account does not", async () => {
    const loaded = await model;
    const outside = reach(loaded, EXT_ADMIN, { at: T });
    expect(keyOf(outside)).toMatchObject({ operations: ["Decrypt"], conditional: false });
    expect(outsideCaveat(outside.caveats)).toBe(`${EXT_ADMIN} (IAM in ${OUTSIDER})`);
    expect(outsideCaveat(reach(loaded, LOCAL_OPS, { at: T }).caveats)).toBeUndefined();
    expect(outsideCaveat(reach(loaded, PARTNER, { at: T }).caveats)).toBeUndefined();
  });
});

describe("the cross-account table", () => {
  it("classifies every KMS action on a key but SynchronizeMultiRegionKey, which only KMS's own role uses", () => {
    const classified = KEY_OPERATIONS.filter(
      (action) => CROSS_ACCOUNT_ACTIONS.has(action) || SAME_ACCOUNT_ACTIONS.has(action),
    );
    expect(KEY_OPERATIONS.filter((action) => !classified.includes(action))).toEqual([
      "SynchronizeMultiRegionKey",
    ]);
    expect([...CROSS_ACCOUNT_ACTIONS].filter((action) => SAME_ACCOUNT_ACTIONS.has(action))).toEqual([]);
    expect(
      [...CROSS_ACCOUNT_ACTIONS, ...SAME_ACCOUNT_ACTIONS].filter((a) => !KEY_OPERATIONS.includes(a)),
    ).toEqual([]);
  });
});
