import { describe, expect, it } from "vitest";
import { envelopeFastPath } from "../../src/events/envelope-fast-path.js";
import { cloudTrailRecordSchema } from "../../src/events/record-schema.js";
import { issueOf, KEY_RESOURCES, kmsRecord, normalized } from "./helpers.js";

const decrypt = (fields: Record<string, unknown> = {}) =>
  kmsRecord({ eventName: "Decrypt", resources: KEY_RESOURCES, requestParameters: null, ...fields });

describe("envelopeFastPath", () => {
  it("takes a plain record as it stands, exactly as the schema would give it", () => {
    const record = decrypt({
      userIdentity: {
        type: "AssumedRole",
        arn: "arn:aws:sts::111122223333:assumed-role/App/s1",
        sessionContext: { sessionIssuer: { type: "Role", arn: "arn:aws:iam::111122223333:role/App" } },
      },
    });
    expect(envelopeFastPath(record)).toBe(record);
    expect(cloudTrailRecordSchema.parse(record)).toEqual(record);
  });

  it.each<[string, Record<string, unknown>]>([
    ["an empty eventID", { eventID: "" }],
    ["a numeric awsRegion", { awsRegion: 5 }],
    ["resources that are not a list", { resources: "arn:aws:kms:…" }],
    ["a userIdentity that is a list", { userIdentity: [] }],
    ["a numeric sessionIssuer arn", { userIdentity: { sessionContext: { sessionIssuer: { arn: 1 } } } }],
  ])("leaves %s to the schema, which reports it as before", (_, fields) => {
    const record = decrypt(fields);
    expect(envelopeFastPath(record)).toBeNull();
    expect(cloudTrailRecordSchema.safeParse(record).success).toBe(false);
    expect(issueOf(record).code).toBe("invalid-record");
  });

  it("leaves unusual but valid shapes to the schema and still normalizes them", () => {
    const record = decrypt({ requestParameters: { encryptionContext: { n: 5 } }, userIdentity: null });
    expect(normalized(record)).toMatchObject({ name: "Decrypt", encryptionContext: { n: "5" } });
  });
});

describe("event fields checked by hand before the schema", () => {
  const sts = (fields: Record<string, unknown>) =>
    kmsRecord({ eventSource: "sts.amazonaws.com", eventName: "AssumeRole", ...fields });

  it.each<[string, Record<string, unknown>, string]>([
    [
      "Decrypt grantTokens that are not a list",
      decrypt({ requestParameters: { grantTokens: "t" } }),
      "grantTokens",
    ],
    [
      "a ReEncrypt destinationKeyId that is a number",
      kmsRecord({ eventName: "ReEncrypt", requestParameters: { destinationKeyId: 7 } }),
      "requestParameters.destinationKeyId",
    ],
    ["an AssumeRole roleArn that is a number", sts({ requestParameters: { roleArn: 5 } }), "roleArn"],
    [
      "an AssumeRole assumedRoleUser that is text",
      sts({ responseElements: { assumedRoleUser: "AROA" } }),
      "responseElements.assumedRoleUser",
    ],
    [
      "a DisableKey response keyId that is a number",
      kmsRecord({ eventName: "DisableKey", resources: KEY_RESOURCES, responseElements: { keyId: 7 } }),
      "responseElements.keyId",
    ],
  ])("leaves %s to the schema, which reports an unknown shape", (_, record, field) => {
    const issue = issueOf(record);
    expect(issue.code).toBe("unknown-shape");
    expect(issue.reason).toContain(field);
  });

  it("gives a non-text context value to the schema, which stringifies it, for both ReEncrypt contexts", () => {
    const record = kmsRecord({
      eventName: "ReEncrypt",
      resources: KEY_RESOURCES,
      requestParameters: { sourceEncryptionContext: { n: 5 }, destinationEncryptionContext: { m: true } },
    });
    expect(normalized(record)).toMatchObject({
      encryptionContext: { n: "5" },
      destinationEncryptionContext: { m: "true" },
    });
  });
});
