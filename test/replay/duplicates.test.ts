import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { type NormalizedEvent, normalizeRecord } from "../../src/events/index.js";
import type { Issue } from "../../src/issue.js";
import { Collector, EventBatch } from "../../src/replay/index.js";
import { SHARED_DATA, sharedDataPresent } from "../support/shared-data.js";

/**
 * Records sharing an eventID: an identical re-delivery is a silent duplicate, a copy that differs (eventName,
 * eventTime, errorCode, key) is a `conflicting-duplicate` issue at the later copy's position. One copy is
 * kept either way: the first read.
 */

const KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";

function event(
  fields: { eventName: string; eventTime: string; errorCode?: string; eventSource?: string },
  position: { file: string; index: number; line?: number },
): NormalizedEvent {
  const result = normalizeRecord(
    {
      eventVersion: "1.08",
      userIdentity: {
        type: "IAMUser",
        arn: "arn:aws:iam::111122223333:user/Alice",
        accountId: "111122223333",
      },
      eventSource: "kms.amazonaws.com",
      awsRegion: "us-east-1",
      requestParameters: { keyId: KEY },
      responseElements: null,
      eventID: "dup-0000-4000-8000-000000000001",
      resources: [{ accountId: "111122223333", type: "AWS::KMS::Key", ARN: KEY }],
      eventType: "AwsApiCall",
      recipientAccountId: "111122223333",
      ...fields,
    },
    position,
  );
  if (!result.ok || !result.event) throw new Error("fixture record did not normalize");
  return result.event;
}

/**
 * Collects events one batch each (readers' batches interleave), or all in one batch, gathering the issues
 * raised.
 */
function collect(events: NormalizedEvent[], oneBatch = false) {
  const issues: Issue[] = [];
  const collector = new Collector((issue) => issues.push(issue));
  const batch = new EventBatch();
  for (const item of events) {
    batch.add(item);
    if (!oneBatch) collector.addBatch(batch.take());
  }
  collector.addBatch(batch.take());
  return { collected: collector.collected, issues };
}

describe("duplicate eventIDs", () => {
  const decrypt = { eventName: "Decrypt", eventTime: "2022-11-24T00:26:58Z" };

  // One batch too: a batch's string table holds each eventID as read, without looking it up first.
  it.each([
    ["one batch each", false],
    ["in one batch", true],
  ])("an identical re-delivery stays a silent duplicate (%s)", (_, oneBatch) => {
    const { collected, issues } = collect(
      [event(decrypt, { file: "a.json", index: 0 }), event(decrypt, { file: "b.json", index: 3 })],
      oneBatch,
    );
    expect(issues).toEqual([]);
    expect({ duplicates: collected.duplicates, rows: collected.usage.size }).toEqual({
      duplicates: 1,
      rows: 1,
    });
  });

  it("a usage copy with another errorCode is reported at its own position; the first copy is kept", () => {
    const { collected, issues } = collect([
      event(decrypt, { file: "a.json", index: 0 }),
      event({ ...decrypt, errorCode: "KMSInvalidStateException" }, { file: "b.json", index: 3, line: 4 }),
    ]);
    expect(issues).toEqual([
      {
        code: "conflicting-duplicate",
        file: "b.json",
        index: 3,
        line: 4,
        eventId: "dup-0000-4000-8000-000000000001",
        reason:
          "eventID already read at a.json record 0 with different content: errorCode none (kept) vs KMSInvalidStateException; that first copy is kept and this one dropped",
      },
    ]);
    expect(collected).toMatchObject({ duplicates: 1, conflictingDuplicates: 1 });
    expect(collected.usage.row(0).errorCode).toBeNull();
  });

  it("a management copy with another eventName and eventTime is reported too", () => {
    const { collected, issues } = collect([
      event({ eventName: "DisableKey", eventTime: "2024-01-01T00:00:00Z" }, { file: "a.json", index: 1 }),
      event({ eventName: "EnableKey", eventTime: "2024-01-02T00:00:00Z" }, { file: "c.json", index: 7 }),
    ]);
    expect(issues).toHaveLength(1);
    expect(issues[0]).toMatchObject({ code: "conflicting-duplicate", file: "c.json", index: 7 });
    expect(issues[0]?.reason).toContain("eventName DisableKey (kept) vs EnableKey");
    expect(issues[0]?.reason).toContain(
      "eventTime 2024-01-01T00:00:00.000Z (kept) vs 2024-01-02T00:00:00.000Z",
    );
    expect(collected.management.map((kept) => kept.name)).toEqual(["DisableKey"]);
  });

  // AssumeRole* calls travel in a batch's own columns: they must still be taken in the order they were read.
  it.each([
    ["the AssumeRole", "sts", "eventName AssumeRole (kept) vs DisableKey"],
    ["the DisableKey", "kms", "eventName DisableKey (kept) vs AssumeRole"],
  ])(
    "in one batch, of an AssumeRole and a DisableKey sharing an eventID, %s read first is kept",
    (_, kept, reason) => {
      const assumeRole = {
        eventName: "AssumeRole",
        eventTime: decrypt.eventTime,
        eventSource: "sts.amazonaws.com",
      };
      const disableKey = { eventName: "DisableKey", eventTime: decrypt.eventTime };
      const fields = kept === "sts" ? [assumeRole, disableKey] : [disableKey, assumeRole];
      const { collected, issues } = collect(
        fields.map((each, index) => event(each, { file: "a.json", index })),
        true,
      );
      expect(issues).toMatchObject([
        { code: "conflicting-duplicate", file: "a.json", index: 1, reason: expect.stringContaining(reason) },
      ]);
      expect(collected.counts).toMatchObject(kept === "sts" ? { sts: 1, kms: 0 } : { sts: 0, kms: 1 });
    },
  );

  it("a usage call and a management event sharing an eventID are compared as well", () => {
    const { issues } = collect([
      event(decrypt, { file: "a.json", index: 0 }),
      event({ eventName: "DisableKey", eventTime: decrypt.eventTime }, { file: "a.json", index: 1 }),
    ]);
    expect(issues.map((issue) => issue.reason)).toEqual([
      expect.stringContaining("eventName Decrypt (kept) vs DisableKey"),
    ]);
  });
});

describe.skipIf(!sharedDataPresent("duplicate tests"))("duplicate eventIDs in ../shared/data", () => {
  it("ct-decrypt.json: the failures that reuse a success's eventID are conflicting duplicates", () => {
    const file = join(SHARED_DATA, "aws-kms-developer-guide/ct-decrypt.json");
    const records = (JSON.parse(readFileSync(file, "utf8")) as { Records: Record<string, unknown>[] })
      .Records;
    const events = records.map((record, index) => {
      const result = normalizeRecord(record, { file, index });
      if (!result.ok || !result.event) throw new Error(`record ${index} did not normalize`);
      return result.event;
    });
    const { collected, issues } = collect(events);
    expect(issues.map(({ code, index, eventId }) => ({ code, index, eventId }))).toEqual([
      { code: "conflicting-duplicate", index: 1, eventId: "abcde202-ba1a-467c-b4ba-f729d45ae521" },
      { code: "conflicting-duplicate", index: 4, eventId: "b79603d5-4cde-46fc-819c-a7cf547b9df4" },
    ]);
    expect(issues[0]?.reason).toContain("errorCode none (kept) vs IncorrectKeyException");
    expect(collected).toMatchObject({ duplicates: 2, conflictingDuplicates: 2 });
  });
});
