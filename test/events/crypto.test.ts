import { describe, expect, it } from "vitest";
import { ACCOUNT, BASE, KEY_ARN, KEY_ID, KEY_RESOURCES, kmsRecord, normalized } from "./helpers.js";

const DEST_ID = "0987dcba-09fe-87dc-65ba-ab0987654321";
const DEST_ARN = `arn:aws:kms:us-west-2:${ACCOUNT}:key/${DEST_ID}`;

describe("cryptographic operation normalizers", () => {
  it("GenerateDataKey through an alias: both the alias and resources[]' key are kept", () => {
    const record = kmsRecord({
      eventName: "GenerateDataKey",
      readOnly: true,
      requestParameters: {
        keyId: "alias/project-key",
        keySpec: "AES_256",
        encryptionContext: { Department: "Engineering", Index: 5 },
        grantTokens: ["t1", "t2"],
      },
      responseElements: null,
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "GenerateDataKey",
      key: {
        arn: KEY_ARN,
        alias: { name: "alias/project-key", account: ACCOUNT, region: "us-west-2" },
        raw: "alias/project-key",
      },
      encryptionContext: { Department: "Engineering", Index: "5" },
      destinationKey: null,
      destinationEncryptionContext: null,
      grantTokens: 2,
    });
  });

  it("Encrypt with an alias ARN of another account takes that account and region", () => {
    const record = kmsRecord({
      eventName: "Encrypt",
      requestParameters: { keyId: "arn:aws:kms:eu-west-1:444455556666:alias/shared" },
      resources: [],
    });
    expect(normalized(record)).toMatchObject({
      key: {
        arn: null,
        alias: { name: "alias/shared", account: "444455556666", region: "eu-west-1" },
        raw: "arn:aws:kms:eu-west-1:444455556666:alias/shared",
      },
    });
  });

  it("ReEncrypt: key is the source, destinationKey from destinationKeyId", () => {
    const record = kmsRecord({
      eventName: "ReEncrypt",
      requestParameters: {
        sourceEncryptionContext: { Project: "Alpha" },
        destinationKeyId: DEST_ID,
        destinationEncryptionContext: { Level: "3A" },
        sourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
        destinationEncryptionAlgorithm: "SYMMETRIC_DEFAULT",
      },
      resources: [...KEY_RESOURCES, { accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: DEST_ARN }],
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "ReEncrypt",
      key: { arn: KEY_ARN, alias: null, raw: null },
      encryptionContext: { Project: "Alpha" },
      destinationKey: { arn: DEST_ARN, alias: null, raw: DEST_ID },
      destinationEncryptionContext: { Level: "3A" },
      grantTokens: 0,
    });
  });

  it.each([
    ["listed once", KEY_RESOURCES],
    ["listed twice", [...KEY_RESOURCES, ...KEY_RESOURCES]],
  ])("ReEncrypt within one key (%s): the destination is the source too", (_name, resources) => {
    const record = kmsRecord({
      eventName: "ReEncrypt",
      requestParameters: { destinationKeyId: KEY_ID, sourceEncryptionAlgorithm: "SYMMETRIC_DEFAULT" },
      resources,
    });
    expect(normalized(record)).toMatchObject({
      key: { arn: KEY_ARN, alias: null, raw: null },
      destinationKey: { arn: KEY_ARN, raw: KEY_ID },
    });
  });

  it("ReEncrypt without resources[] leaves an unnamed source unknown", () => {
    const record = kmsRecord({
      eventName: "ReEncrypt",
      requestParameters: { destinationKeyId: DEST_ARN },
      resources: [],
    });
    expect(normalized(record)).toMatchObject({ key: { arn: null }, destinationKey: { arn: DEST_ARN } });
  });

  it("Decrypt by an AWS service names no keyId: the key comes from resources[]", () => {
    const record = kmsRecord({
      eventName: "Decrypt",
      userIdentity: { type: "AWSService", invokedBy: "dynamodb.amazonaws.com" },
      sharedEventID: "bf915fa6-6ceb-4659-8912-e36b69846aad",
      requestParameters: { encryptionContext: { "aws:dynamodb:tableName": "Books" } },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toMatchObject({
      sharedEventId: "bf915fa6-6ceb-4659-8912-e36b69846aad",
      invokedBy: "dynamodb.amazonaws.com",
      actor: { id: "dynamodb.amazonaws.com", kind: "service" },
      key: { arn: KEY_ARN, raw: null },
    });
  });
});
