import { describe, expect, it } from "vitest";
import { irrelevantRecordText, isRelevantRecord } from "../../src/events/index.js";

const s3 = {
  eventVersion: "1.09",
  userIdentity: { type: "AssumedRole", arn: "arn:aws:sts::111122223333:assumed-role/App/i-0abc" },
  eventTime: "2024-06-01T10:00:00Z",
  eventSource: "s3.amazonaws.com",
  eventName: "GetObject",
  awsRegion: "eu-west-1",
  requestParameters: { bucketName: "logs" },
  eventID: "7f1c7d6e-2c0e-4d8b-9d7e-0a6f6a1f0b11",
  recipientAccountId: "111122223333",
};

describe("irrelevantRecordText", () => {
  it.each([
    ["S3 noise, minified", JSON.stringify(s3), true],
    ["S3 noise, pretty-printed", JSON.stringify(s3, null, 2), true],
    ["a KMS call", JSON.stringify({ ...s3, eventSource: "kms.amazonaws.com", eventName: "Decrypt" }), false],
    [
      "an unknown KMS call (kept as Other)",
      JSON.stringify({ ...s3, eventSource: "kms.amazonaws.com", eventName: "NewApi" }),
      false,
    ],
    [
      "CloudTrail StopLogging",
      JSON.stringify({ ...s3, eventSource: "cloudtrail.amazonaws.com", eventName: "StopLogging" }),
      false,
    ],
    [
      "STS AssumeRole",
      JSON.stringify({ ...s3, eventSource: "sts.amazonaws.com", eventName: "AssumeRole" }),
      false,
    ],
    [
      "STS GetCallerIdentity",
      JSON.stringify({ ...s3, eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity" }),
      true,
    ],
    ["no eventTime (normalization must report it)", JSON.stringify({ ...s3, eventTime: undefined }), false],
    [
      "a second eventSource nested in the record",
      JSON.stringify({ ...s3, requestParameters: { eventSource: "kms.amazonaws.com" } }),
      false,
    ],
    [
      "an escaped record (lookup-events CloudTrailEvent)",
      JSON.stringify({ CloudTrailEvent: JSON.stringify(s3) }),
      false,
    ],
  ])("%s: dropped unparsed = %s", (_, text, dropped) => {
    expect(irrelevantRecordText(text) !== null).toBe(dropped);
    // Never drop what the parsed filter would keep.
    if (dropped) expect(isRelevantRecord(JSON.parse(text))).toBe(false);
  });

  it("returns what coverage needs", () => {
    expect(irrelevantRecordText(JSON.stringify(s3))).toEqual({
      eventTime: "2024-06-01T10:00:00Z",
      recipientAccountId: "111122223333",
      awsRegion: "eu-west-1",
    });
  });
});
