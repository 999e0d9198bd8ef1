import { describe, expect, it } from "vitest";
import { type NormalizedEvent, normalizeRecord } from "../../src/events/index.js";
import { Collector, EventBatch } from "../../src/replay/index.js";

/** One cross-account Decrypt, logged in the caller's and in the key owner's account (same sharedEventID). */
function copy(eventId: string, account: string): NormalizedEvent {
  const result = normalizeRecord(
    {
      eventVersion: "1.08",
      userIdentity: {
        type: "AssumedRole",
        principalId: "AROAEXAMPLEPARTNER:batch",
        arn: "arn:aws:sts::444455556666:assumed-role/Reader/batch",
        accountId: "444455556666",
      },
      eventTime: "2024-05-02T10:00:00Z",
      eventSource: "kms.amazonaws.com",
      eventName: "Decrypt",
      awsRegion: "us-east-1",
      sourceIPAddress: "198.51.100.7",
      requestParameters: { encryptionAlgorithm: "SYMMETRIC_DEFAULT" },
      responseElements: null,
      eventID: eventId,
      sharedEventID: "5f6c0a5e-1b9e-4a59-9d57-0ad1c1a4f0aa",
      readOnly: true,
      resources: [
        {
          accountId: "111122223333",
          type: "AWS::KMS::Key",
          ARN: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        },
      ],
      eventType: "AwsApiCall",
      recipientAccountId: account,
    },
    { file: "test", index: 0 },
  );
  if (!result.ok || !result.event) throw new Error("fixture record did not normalize");
  return result.event;
}

describe("Collector", () => {
  const a = copy("0a000000-0000-4000-8000-000000000001", "444455556666");
  const b = copy("0b000000-0000-4000-8000-000000000002", "111122223333");

  it.each([
    ["caller's copy first", [a, b]],
    ["owner's copy first", [b, a]],
  ])("keeps one action for two copies, whatever their order (%s)", (_, events) => {
    const collector = new Collector(() => {});
    // One batch per event, as readers' batches can interleave copies in any order.
    const add = (event: NormalizedEvent) => {
      const batch = new EventBatch();
      batch.add(event);
      collector.addBatch(batch.take());
    };
    for (const event of events) add(event);
    for (const event of events) add(event);
    const { usage, sharedCopiesMerged, duplicates } = collector.collected;
    expect({ rows: usage.size, sharedCopiesMerged, duplicates }).toEqual({
      rows: 1,
      sharedCopiesMerged: 1,
      duplicates: 2,
    });
    expect(usage.row(0)).toMatchObject({
      eventId: a.eventId,
      alsoEventIds: [b.eventId],
      account: "444455556666",
      operation: "Decrypt",
    });
  });
});

/** An AssumeRole of role Deploy by a CI user, succeeding or refused. */
function assumeRole(eventId: string, session: string, errorCode?: string): NormalizedEvent {
  const result = normalizeRecord(
    {
      eventVersion: "1.08",
      userIdentity: { type: "IAMUser", arn: "arn:aws:iam::111122223333:user/ci", accountId: "111122223333" },
      eventTime: "2024-05-02T10:00:00Z",
      eventSource: "sts.amazonaws.com",
      eventName: "AssumeRole",
      awsRegion: "us-east-1",
      requestParameters: { roleArn: "arn:aws:iam::111122223333:role/Deploy", roleSessionName: session },
      responseElements: errorCode
        ? null
        : { assumedRoleUser: { assumedRoleId: `AROAEXAMPLEDEPLOY:${session}` } },
      ...(errorCode ? { errorCode } : {}),
      eventID: eventId,
      recipientAccountId: "111122223333",
    },
    { file: "test", index: 0 },
  );
  if (!result.ok || !result.event) throw new Error("fixture record did not normalize");
  return result.event;
}

describe("Collector, AssumeRole", () => {
  it("a role's sessions are those it was assumed into; a refused AssumeRole names none", () => {
    const collector = new Collector(() => {});
    const batch = new EventBatch();
    batch.add(assumeRole("0c000000-0000-4000-8000-000000000001", "release"));
    batch.add(assumeRole("0c000000-0000-4000-8000-000000000002", "refused", "AccessDenied"));
    collector.addBatch(batch.take());
    const { sessionNames, principalIds, counts } = collector.collected;
    expect(counts).toMatchObject({ sts: 2 });
    expect(sessionNames.get("arn:aws:iam::111122223333:role/Deploy")).toEqual(new Set(["release"]));
    expect(principalIds.get("AROAEXAMPLEDEPLOY")).toBe("arn:aws:iam::111122223333:role/Deploy");
  });
});

describe("Collector, copies of one eventID read out of input order", () => {
  /** A DisableKey (or another key call) by Alice, as read at `file`, record `index`. */
  function keyCall(
    eventName: string,
    file: string,
    index: number,
    eventTime = "2024-05-02T10:00:00Z",
    ids: { eventID?: string; sharedEventID?: string } = {},
  ) {
    const result = normalizeRecord(
      {
        eventVersion: "1.08",
        userIdentity: {
          type: "IAMUser",
          principalId: "AIDAEXAMPLE",
          arn: "arn:aws:iam::111122223333:user/Alice",
          accountId: "111122223333",
        },
        eventTime,
        eventSource: "kms.amazonaws.com",
        eventName,
        awsRegion: "us-east-1",
        requestParameters: { keyId: "1234abcd-12ab-34cd-56ef-1234567890ab" },
        eventID: ids.eventID ?? "same-event-id",
        ...(ids.sharedEventID ? { sharedEventID: ids.sharedEventID } : {}),
        resources: [
          {
            accountId: "111122223333",
            type: "AWS::KMS::Key",
            ARN: "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab",
          },
        ],
        eventType: "AwsApiCall",
        recipientAccountId: "111122223333",
      },
      { file, index },
    );
    if (!result.ok || !result.event) throw new Error("fixture record did not normalize");
    return result.event;
  }
  const inputOrder = new Map([
    ["a.json", 0],
    ["b.json", 1],
  ]);
  const collect = (collector: Collector, ...events: NormalizedEvent[]) => {
    for (const event of events) {
      const batch = new EventBatch();
      batch.add(event);
      collector.addBatch(batch.take());
    }
  };

  it("gives an identical copy read later, but earlier in the input, the kept event's position", () => {
    const collector = new Collector(() => {}, inputOrder);
    collect(collector, keyCall("DisableKey", "b.json", 3), keyCall("DisableKey", "a.json", 5));
    expect(collector.collected.management.map((event) => event.position)).toEqual([
      { file: "a.json", index: 5 },
    ]);
    expect(collector.orderDependent).toBe(false);
  });

  it("notes a differing copy that comes earlier in the input than the one kept", () => {
    const issues: string[] = [];
    const inOrder = new Collector((issue) => issues.push(issue.reason), inputOrder);
    collect(inOrder, keyCall("DisableKey", "a.json", 0), keyCall("EnableKey", "b.json", 0));
    expect(inOrder.orderDependent).toBe(false);
    const outOfOrder = new Collector((issue) => issues.push(issue.reason), inputOrder);
    collect(outOfOrder, keyCall("EnableKey", "b.json", 0), keyCall("DisableKey", "a.json", 0));
    expect(outOfOrder.orderDependent).toBe(true);
    expect(issues).toHaveLength(2);
  });

  it("moves only the position of the event kept, when cross-account copies were merged into one", () => {
    const order = new Map(["a.json", "b.json", "c.json", "d.json"].map((file, index) => [file, index]));
    const shared = (eventID: string, file: string) =>
      keyCall("CreateGrant", file, 0, "2024-05-02T10:00:00Z", { eventID, sharedEventID: "shared-1" });
    const positions = (...events: NormalizedEvent[]) => {
      const collector = new Collector(() => {}, order);
      collect(collector, ...events);
      return collector.collected.management.map((event) => [event.eventId, event.position.file]);
    };
    // The smaller eventID's copy is kept: an earlier re-delivery of the other copy does not move it...
    expect(positions(shared("0b", "b.json"), shared("0a", "c.json"), shared("0b", "a.json"))).toEqual([
      ["0a", "c.json"],
    ]);
    // ...and its own copies give it the first position in the input, in whatever order they arrive.
    const first = positions(shared("0b", "b.json"), shared("0a", "d.json"), shared("0a", "a.json"));
    const second = positions(shared("0a", "a.json"), shared("0b", "b.json"), shared("0a", "d.json"));
    expect(first).toEqual([["0a", "a.json"]]);
    expect(second).toEqual(first);
  });

  it("tells apart copies whose caller differs", () => {
    const issues: string[] = [];
    const collector = new Collector((issue) => issues.push(issue.reason));
    const other = keyCall("DisableKey", "b.json", 0);
    collect(collector, keyCall("DisableKey", "a.json", 0), {
      ...other,
      actor: { ...other.actor, id: "arn:aws:iam::999988887777:role/Intruder" },
    });
    expect(issues).toEqual([
      expect.stringContaining(
        "caller arn:aws:iam::111122223333:user/Alice (kept) vs arn:aws:iam::999988887777:role/Intruder",
      ),
    ]);
  });
});
