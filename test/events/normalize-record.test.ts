import { describe, expect, it } from "vitest";
import { isRelevantRecord, kmsNormalizers, normalizeRecord } from "../../src/events/index.js";
import { BASE, issueOf, KEY_ARN, KEY_RESOURCES, kmsRecord, normalized, POSITION } from "./helpers.js";

describe("isRelevantRecord", () => {
  it.each<[string, Record<string, unknown>, boolean]>([
    [
      "any KMS event",
      { eventSource: "kms.amazonaws.com", eventName: "Decrypt", eventTime: "2024-03-02T10:00:00Z" },
      true,
    ],
    [
      "an unknown KMS event",
      { eventSource: "kms.amazonaws.com", eventName: "FutureCall", eventTime: "2024-03-02T10:00:00Z" },
      true,
    ],
    [
      "StopLogging",
      {
        eventSource: "cloudtrail.amazonaws.com",
        eventName: "StopLogging",
        eventTime: "2024-03-02T10:00:00Z",
      },
      true,
    ],
    [
      "DescribeTrails",
      {
        eventSource: "cloudtrail.amazonaws.com",
        eventName: "DescribeTrails",
        eventTime: "2024-03-02T10:00:00Z",
      },
      false,
    ],
    [
      "AssumeRoleWithWebIdentity",
      {
        eventSource: "sts.amazonaws.com",
        eventName: "AssumeRoleWithWebIdentity",
        eventTime: "2024-03-02T10:00:00Z",
      },
      true,
    ],
    [
      "GetCallerIdentity",
      { eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity", eventTime: "2024-03-02T10:00:00Z" },
      false,
    ],
    [
      "an S3 call",
      { eventSource: "s3.amazonaws.com", eventName: "GetObject", eventTime: "2024-03-02T10:00:00Z" },
      false,
    ],
    ["a record without eventTime", { eventSource: "s3.amazonaws.com", eventName: "GetObject" }, true],
    ["a record without eventSource", { eventName: "Decrypt", eventTime: "2024-03-02T10:00:00Z" }, true],
    [
      "a name inherited from Object.prototype",
      { eventSource: "sts.amazonaws.com", eventName: "toString", eventTime: "2024-03-02T10:00:00Z" },
      false,
    ],
  ])("%s", (_label, record, expected) => {
    expect(isRelevantRecord(record)).toBe(expected);
  });
});

describe("normalizeRecord", () => {
  it("a well-formed record keytrail does not keep is null, not an issue", () => {
    expect(
      normalizeRecord(kmsRecord({ eventSource: "ec2.amazonaws.com", eventName: "RunInstances" }), POSITION),
    ).toEqual({ ok: true, event: null });
  });

  it("an Insights event, whose call is named only inside insightDetails, is not kept and not an issue", () => {
    const insight = {
      eventVersion: "1.08",
      eventTime: "2024-03-09T10:00:00Z",
      awsRegion: "us-east-1",
      eventID: "insight-1",
      eventType: "AwsCloudTrailInsight",
      recipientAccountId: "111122223333",
      sharedEventID: "shared-1",
      insightDetails: { state: "Start", eventSource: "kms.amazonaws.com", eventName: "Decrypt" },
      eventCategory: "Insight",
    };
    expect(normalizeRecord(insight, POSITION)).toEqual({ ok: true, event: null });
  });

  it("reports a missing eventSource, a missing or unreadable eventTime and a missing eventID", () => {
    expect(issueOf(kmsRecord({ eventSource: undefined, eventName: "Decrypt" }))).toMatchObject({
      code: "missing-event-source",
      file: POSITION.file,
      index: 7,
    });
    expect(issueOf(kmsRecord({ eventName: "Decrypt", eventTime: undefined }))).toMatchObject({
      code: "missing-event-time",
      eventId: BASE.eventId,
    });
    expect(issueOf(kmsRecord({ eventName: "Decrypt", eventTime: "redacted" }))).toMatchObject({
      code: "missing-event-time",
    });
    const noId = issueOf(kmsRecord({ eventName: "Decrypt", eventID: undefined }));
    expect(noId.code).toBe("invalid-record");
    expect(noId.reason).toContain("eventID");
  });

  it("an envelope field of the wrong type is invalid-record", () => {
    expect(issueOf(kmsRecord({ eventName: "Decrypt", recipientAccountId: 111122223333 })).code).toBe(
      "invalid-record",
    );
  });

  it("keeps the line of NDJSON positions", () => {
    const result = normalizeRecord(kmsRecord({ eventName: "Decrypt", eventID: undefined }), {
      file: "-",
      index: 4,
      line: 5,
    });
    expect(result).toMatchObject({ ok: false, issue: { file: "-", index: 4, line: 5 } });
  });

  it("an unknown KMS event becomes Other with its key, never dropped", () => {
    const record = kmsRecord({
      eventName: "CreateKeyMaterialSnapshot",
      requestParameters: { keyId: "1234abcd-12ab-34cd-56ef-1234567890ab", snapshot: 3 },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "Other",
      eventName: "CreateKeyMaterialSnapshot",
      key: { arn: KEY_ARN, alias: null, raw: "1234abcd-12ab-34cd-56ef-1234567890ab" },
    });
    expect(normalized(kmsRecord({ eventName: "ListCustomThings", requestParameters: "odd" }))).toMatchObject({
      name: "Other",
      key: null,
    });
  });

  it("every registered KMS name normalizes a minimal record to an event of that name", () => {
    for (const eventName of Object.keys(kmsNormalizers)) {
      const record = kmsRecord({
        eventName,
        requestParameters: { keyId: "alias/app", aliasName: "alias/app" },
        resources: KEY_RESOURCES,
      });
      expect(normalized(record).name).toBe(eventName);
    }
  });
});
