import { describe, expect, it } from "vitest";
import { isRelevantRecord } from "../../src/events/index.js";
import { factsOfText } from "../../src/ingest/record-facts.js";

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
const text = (record: object) => JSON.stringify(record);

/** What the replay does with facts: drop them unparsed when plain and not relevant. */
const dropsUnparsed = (source: string) => {
  const facts = factsOfText(source);
  if (facts === null) return false;
  return facts.plain && !isRelevantRecord(facts);
};

describe("factsOfText", () => {
  it("reads the top-level fields coverage and the filter need", () => {
    expect(factsOfText(text(s3))).toEqual({
      eventSource: "s3.amazonaws.com",
      eventName: "GetObject",
      eventTime: "2024-06-01T10:00:00Z",
      recipientAccountId: "111122223333",
      awsRegion: "eu-west-1",
      plain: true,
    });
  });

  it("reads pretty-printed records and ignores the same names nested deeper", () => {
    const nested = { ...s3, requestParameters: { eventSource: "kms.amazonaws.com", eventName: "Decrypt" } };
    expect(factsOfText(JSON.stringify(nested, null, 2))).toMatchObject({
      eventSource: "s3.amazonaws.com",
      eventName: "GetObject",
      plain: true,
    });
  });

  it("takes the last of duplicate keys, as JSON.parse does", () => {
    const source = text(s3).replace(
      '"eventName":"GetObject"',
      '"eventName":"GetObject","eventName":"Decrypt"',
    );
    expect(JSON.parse(source).eventName).toBe("Decrypt");
    expect(factsOfText(source)?.eventName).toBe("Decrypt");
  });

  it.each([
    ["an escaped key that may spell a field", text(s3).replace('"eventSource"', '"event\\u0053ource"')],
    ["an escaped value", text(s3).replace('"GetObject"', '"Get\\u004fbject"')],
    ["a field that is not a string", text({ ...s3, eventSource: ["kms.amazonaws.com"] })],
    ["a later duplicate that is not plain", text(s3).replace('"awsRegion"', '"eventSource":1,"awsRegion"')],
    ["a Records member", text({ ...s3, Records: [] })],
    ["a lookup Events member", text({ ...s3, Events: [] })],
    ["an EventBridge detail member", text({ ...s3, detail: {} })],
  ])("says the facts are not plain for %s", (_, source) => {
    expect(factsOfText(source)?.plain).toBe(false);
  });

  it.each([
    ["not an object", "[1, 2]"],
    ["an object cut short", text(s3).slice(0, 60)],
    ["two values", `${text(s3)} {}`],
  ])("gives null for %s", (_, source) => {
    expect(factsOfText(source)).toBeNull();
  });

  it("counts brackets and braces inside strings as text", () => {
    const tricky = { ...s3, userAgent: 'x"}]{[\\', requestParameters: { key: "}}}" } };
    expect(factsOfText(text(tricky))).toMatchObject({ eventSource: "s3.amazonaws.com", plain: true });
  });
});

describe("dropping records unparsed by their facts", () => {
  it.each([
    ["S3 noise", text(s3), true],
    [
      "S3 noise with a KMS-looking field nested",
      text({ ...s3, requestParameters: { eventSource: "kms.amazonaws.com" } }),
      true,
    ],
    ["a KMS call", text({ ...s3, eventSource: "kms.amazonaws.com", eventName: "Decrypt" }), false],
    [
      "an unknown KMS call (kept as Other)",
      text({ ...s3, eventSource: "kms.amazonaws.com", eventName: "NewApi" }),
      false,
    ],
    [
      "CloudTrail StopLogging",
      text({ ...s3, eventSource: "cloudtrail.amazonaws.com", eventName: "StopLogging" }),
      false,
    ],
    ["STS AssumeRole", text({ ...s3, eventSource: "sts.amazonaws.com", eventName: "AssumeRole" }), false],
    [
      "STS GetCallerIdentity",
      text({ ...s3, eventSource: "sts.amazonaws.com", eventName: "GetCallerIdentity" }),
      true,
    ],
    ["no eventTime (normalization must report it)", text({ ...s3, eventTime: undefined }), false],
    ["an escaped record (lookup-events CloudTrailEvent)", text({ CloudTrailEvent: text(s3) }), false],
    ["S3 noise mentioning detail only nested", text({ ...s3, requestParameters: { detail: "x" } }), true],
  ])("%s: dropped unparsed = %s", (_, source, dropped) => {
    expect(dropsUnparsed(source)).toBe(dropped);
    // Never drop what the parsed filter would keep.
    if (dropped) expect(isRelevantRecord(JSON.parse(source))).toBe(false);
  });
});
