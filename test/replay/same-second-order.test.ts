import { describe, expect, it } from "vitest";
import type { RawRecord } from "../../src/ingest/types.js";
import { CaseModel } from "../../src/model/index.js";
import { keyAt, whoCanAt } from "../../src/query/index.js";
import { Collector, EventBatch, replay } from "../../src/replay/index.js";
import { ACCOUNT, KEY_ARN, KEY_ID, KEY_RESOURCES, kmsRecord, normalized } from "../events/helpers.js";
import { rootPolicy } from "../query/findings/case-builder.js";

/**
 * CloudTrail logs eventTime to the second and eventIDs are random: calls on one key in one second must be
 * applied in an order KMS allows, and where two allowed orders end differently the answer must not say
 * "recorded". Each trail below puts the call that must come last on the smallest eventID.
 */
const SECOND = "2024-03-02T09:00:00Z";
const T = Date.parse(SECOND);
const LATER = T + 3_600_000;
const BOB = `arn:aws:iam::${ACCOUNT}:user/Bob`;
const id = (digit: string) => `${digit.repeat(8)}-0000-4000-8000-000000000000`;

const bobDecrypts = {
  Sid: "Bob",
  Effect: "Allow",
  Principal: { AWS: BOB },
  Action: "kms:Decrypt",
  Resource: "*",
};

function call(eventName: string, eventID: string, fields: RawRecord = {}, eventTime = SECOND): RawRecord {
  return kmsRecord({
    eventName,
    eventID,
    eventTime,
    requestParameters: { keyId: KEY_ID },
    resources: KEY_RESOURCES,
    ...fields,
  });
}

const createKey = (eventID: string, eventTime = SECOND) =>
  call(
    "CreateKey",
    eventID,
    {
      requestParameters: { keySpec: "SYMMETRIC_DEFAULT", keyUsage: "ENCRYPT_DECRYPT" },
      responseElements: {
        keyMetadata: { AWSAccountId: ACCOUNT, keyId: KEY_ID, arn: KEY_ARN, origin: "AWS_KMS" },
      },
    },
    eventTime,
  );
const putPolicy = (eventID: string, policy: unknown) =>
  call("PutKeyPolicy", eventID, {
    requestParameters: { keyId: KEY_ID, policyName: "default", policy: JSON.stringify(policy) },
  });
/** The key was created an hour before the second under test. */
const createdBefore = createKey(id("e"), "2024-03-02T08:00:00Z");

function model(records: RawRecord[]): CaseModel {
  const collector = new Collector(() => {});
  const batch = new EventBatch();
  for (const record of records) batch.add(normalized(record));
  collector.addBatch(batch.take());
  const times = records.map((record) => Date.parse(String(record.eventTime)));
  const data = replay(
    collector.collected,
    [{ account: ACCOUNT, region: "us-west-2", from: Math.min(...times), to: LATER, records: records.length }],
    {
      files: 1,
      bytes: 0,
      recordsRead: records.length,
      droppedIrrelevant: 0,
      issues: 0,
      issuesByCode: {},
      filesWithIssues: [],
      firstIssues: [],
    },
  );
  return new CaseModel(data);
}

const stateAt = (case_: CaseModel, t: number) => {
  const report = keyAt(case_, KEY_ARN, t);
  return { state: report.state, known: report.stateKnown, confidence: report.stateConfidence };
};

describe("calls on one key in the same second", () => {
  it("CreateKey goes first: a PutKeyPolicy of the same second is the policy in force", () => {
    const case_ = model([createKey(id("f")), putPolicy(id("1"), rootPolicy(bobDecrypts))]);
    const report = keyAt(case_, KEY_ARN, T);
    expect(report.policy).toMatchObject({ version: 2, confidence: "recorded", eventIds: [id("1")] });
    expect(report.policy?.document).toEqual(rootPolicy(bobDecrypts));
    const whoCan = whoCanAt(case_, KEY_ARN, LATER, { operation: "Decrypt" });
    expect(whoCan.principals.map((entry) => entry.principal)).toContain(BOB);
  });

  it("CancelKeyDeletion goes after the ScheduleKeyDeletion that made it valid: Disabled, recorded", () => {
    const case_ = model([
      createdBefore,
      call("ScheduleKeyDeletion", id("f"), {
        requestParameters: { keyId: KEY_ID, pendingWindowInDays: 7 },
        responseElements: {
          keyId: KEY_ARN,
          keyState: "PendingDeletion",
          deletionDate: "Mar 9, 2024 09:00:00 AM",
        },
      }),
      call("CancelKeyDeletion", id("0"), { responseElements: { keyId: KEY_ARN } }),
    ]);
    expect(stateAt(case_, T)).toEqual({ state: "Disabled", known: true, confidence: "recorded" });
    expect(stateAt(case_, LATER)).toEqual({ state: "Disabled", known: true, confidence: "recorded" });
    expect(keyAt(case_, KEY_ARN, LATER).deletionDate).toBeNull();
  });

  it("DisableKey and EnableKey in one second: either may be last, so the state after is not asserted", () => {
    const case_ = model([createdBefore, call("DisableKey", id("0")), call("EnableKey", id("f"))]);
    expect(stateAt(case_, T - 1)).toEqual({ state: "Enabled", known: true, confidence: "recorded" });
    expect(stateAt(case_, LATER)).toEqual({ state: "Unknown", known: false, confidence: "unknown" });
    const whoCan = whoCanAt(case_, KEY_ARN, LATER, { operation: "Decrypt" });
    expect(whoCan.caveats.join(" ")).toMatch(/state at .* is not known/);
    const lines = case_.eventsByKey.get(KEY_ARN)?.filter((event) => event.time === T) ?? [];
    expect(lines.map((event) => event.summary)).toEqual([
      expect.stringMatching(/order not logged: the state after it may be Disabled or Enabled/),
      expect.stringMatching(/order not logged: the state after it may be Disabled or Enabled/),
    ]);
  });

  it("stays Unknown until a later call sets the state, whatever order the records are read in", () => {
    const records = [
      createdBefore,
      call("DisableKey", id("0")),
      call("EnableKey", id("f")),
      call("EnableKey", id("a"), {}, "2024-03-02T09:30:00Z"),
    ];
    for (const case_ of [model(records), model([...records].reverse())]) {
      expect(stateAt(case_, T + 60_000)).toEqual({ state: "Unknown", known: false, confidence: "unknown" });
      expect(stateAt(case_, LATER)).toEqual({ state: "Enabled", known: true, confidence: "recorded" });
    }
  });

  it("two different PutKeyPolicy calls in one second: the policy kept is marked unknown", () => {
    const case_ = model([
      createdBefore,
      putPolicy(id("0"), rootPolicy()),
      putPolicy(id("f"), rootPolicy(bobDecrypts)),
    ]);
    const report = keyAt(case_, KEY_ARN, LATER);
    expect(report.policy).toMatchObject({ version: 3, confidence: "unknown" });
    const whoCan = whoCanAt(case_, KEY_ARN, LATER, { operation: "Decrypt" });
    expect(whoCan.policy).toMatchObject({ version: 3, confidence: "unknown" });
    const caveat = "policy version 3 was put in the same second as another PutKeyPolicy";
    expect(report.caveats.join(" ")).toContain(caveat);
    expect(whoCan.caveats.join(" ")).toContain(caveat);
  });

  it("control: CreateKey, DisableKey and EnableKeyRotation in one second have one allowed order, recorded", () => {
    const case_ = model([
      createKey(id("f")),
      call("DisableKey", id("1")),
      call("EnableKeyRotation", id("2"), { requestParameters: { keyId: KEY_ID, rotationPeriodInDays: 90 } }),
      putPolicy(id("3"), rootPolicy(bobDecrypts)),
    ]);
    expect(stateAt(case_, LATER)).toEqual({ state: "Disabled", known: true, confidence: "recorded" });
    const report = keyAt(case_, KEY_ARN, LATER);
    expect(report.rotation).toEqual({ enabled: true, periodDays: 90, confidence: "recorded" });
    expect(report.policy).toMatchObject({ version: 2, confidence: "recorded" });
    expect(
      case_.eventsByKey
        .get(KEY_ARN)
        ?.map((event) => event.summary)
        .join("\n"),
    ).not.toMatch(/order not logged/);
  });

  it("a grant revoked in the second it was created is closed", () => {
    const grantId = "0grant0000000000000000000000000000000000000000000000000000000000";
    const case_ = model([
      createdBefore,
      call("CreateGrant", id("f"), {
        requestParameters: { keyId: KEY_ARN, granteePrincipal: BOB, operations: ["Decrypt"] },
        responseElements: { grantId, keyId: KEY_ARN },
      }),
      call("RevokeGrant", id("0"), { requestParameters: { keyId: KEY_ID, grantId } }),
    ]);
    expect(keyAt(case_, KEY_ARN, LATER).grants).toEqual([]);
    expect(case_.grantsById.get(grantId)).toMatchObject({ to: T, closeReason: "revoked" });
  });

  it("orders a large second (CreateKey, thousands of grants, DisableKey) without quadratic work", () => {
    const grants = Array.from({ length: 2000 }, (_, i) =>
      call("CreateGrant", `${String(i).padStart(8, "0")}-1111-4000-8000-000000000000`, {
        requestParameters: { keyId: KEY_ARN, granteePrincipal: BOB, operations: ["Decrypt"] },
        responseElements: { grantId: `grant-${i}`, keyId: KEY_ARN },
      }),
    );
    const case_ = model([createKey(id("f")), ...grants, call("DisableKey", id("0"))]);
    expect(stateAt(case_, LATER)).toEqual({ state: "Disabled", known: true, confidence: "recorded" });
    expect(keyAt(case_, KEY_ARN, LATER).grants).toHaveLength(2000);
  });
});
