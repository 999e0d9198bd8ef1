import { describe, expect, it } from "vitest";
import { ACCOUNT, BASE, issueOf, KEY_ARN, KEY_ID, KEY_RESOURCES, kmsRecord, normalized } from "./helpers.js";

const POLICY = {
  Version: "2012-10-17",
  Id: "key-default-1",
  Statement: [
    {
      Sid: "Enable IAM User Permissions",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: "kms:*",
      Resource: "*",
    },
  ],
};

describe("key lifecycle normalizers", () => {
  it("CreateKey: parses the policy string once and reads the response's keyMetadata", () => {
    const record = kmsRecord({
      eventName: "CreateKey",
      requestParameters: {
        policy: JSON.stringify(POLICY, null, 2),
        description: "payments key",
        keyUsage: "ENCRYPT_DECRYPT",
        keySpec: "SYMMETRIC_DEFAULT",
        origin: "EXTERNAL",
        bypassPolicyLockoutSafetyCheck: false,
        tags: [{ tagKey: "team", tagValue: "payments" }],
      },
      responseElements: {
        keyMetadata: {
          AWSAccountId: ACCOUNT,
          keyId: KEY_ID,
          arn: KEY_ARN,
          creationDate: "Mar 2, 2024, 10:00:00 AM",
          enabled: false,
          keyState: "PendingImport",
          origin: "EXTERNAL",
          keyManager: "CUSTOMER",
          multiRegion: false,
        },
      },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "CreateKey",
      key: { arn: KEY_ARN, alias: null, raw: null },
      policy: POLICY,
      description: "payments key",
      keySpec: "SYMMETRIC_DEFAULT",
      keyUsage: "ENCRYPT_DECRYPT",
      origin: "EXTERNAL",
      multiRegion: false,
      keyState: "PendingImport",
      replicaOf: null,
      tags: [{ key: "team", value: "payments" }],
      customKeyStoreId: null,
      bypassPolicyLockoutSafetyCheck: false,
    });
  });

  it("CreateKey with an unparsable policy keeps the raw text", () => {
    const record = kmsRecord({
      eventName: "CreateKey",
      requestParameters: { policy: "{not json" },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toMatchObject({ name: "CreateKey", policy: { unparsed: "{not json" } });
  });

  it("ScheduleKeyDeletion: deletionDate in KMS's 24h-with-PM form", () => {
    const record = kmsRecord({
      eventName: "ScheduleKeyDeletion",
      requestParameters: { keyId: KEY_ID, pendingWindowInDays: 20 },
      responseElements: {
        keyId: KEY_ARN,
        keyState: "PendingDeletion",
        deletionDate: "Mar 22, 2024 18:58:30 PM",
      },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "ScheduleKeyDeletion",
      key: { arn: KEY_ARN, alias: null, raw: KEY_ID },
      deletionDate: Date.UTC(2024, 2, 22, 18, 58, 30),
      pendingWindowInDays: 20,
      keyState: "PendingDeletion",
    });
  });

  it("DeleteKey service event: identity is only accountId + invokedBy, key from resources[]", () => {
    const record = kmsRecord({
      eventName: "DeleteKey",
      userIdentity: { accountId: ACCOUNT, invokedBy: "AWS Internal" },
      eventType: "AwsServiceEvent",
      requestID: undefined,
      sourceIPAddress: "AWS Internal",
      userAgent: "AWS Internal",
      requestParameters: null,
      responseElements: null,
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      requestId: null,
      sourceIp: "AWS Internal",
      userAgent: "AWS Internal",
      eventType: "AwsServiceEvent",
      invokedBy: "AWS Internal",
      actor: {
        id: "AWS Internal",
        kind: "service",
        account: null,
        identityType: null,
        arn: null,
        principalId: null,
        sessionName: null,
        accessKeyId: null,
      },
      source: "kms",
      name: "DeleteKey",
      key: { arn: KEY_ARN, alias: null, raw: null },
    });
  });

  it("a failed DisableKey keeps the error and builds the ARN from the key id when resources[] is empty", () => {
    const record = kmsRecord({
      eventName: "DisableKey",
      errorCode: "NotFoundException",
      errorMessage:
        "Key 'arn:aws:kms:us-west-2:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab' does not exist",
      requestParameters: { keyId: KEY_ID },
      responseElements: null,
    });
    const event = normalized(record);
    expect(event.error).toEqual({
      code: "NotFoundException",
      message: expect.stringContaining("does not exist"),
    });
    expect(event).toMatchObject({ name: "DisableKey", key: { arn: KEY_ARN, alias: null, raw: KEY_ID } });
  });

  it("a wrongly shaped field is an unknown-shape issue naming event and field", () => {
    const issue = issueOf(
      kmsRecord({
        eventName: "ScheduleKeyDeletion",
        requestParameters: { keyId: KEY_ID, pendingWindowInDays: [7] },
      }),
    );
    expect(issue.code).toBe("unknown-shape");
    expect(issue.reason).toContain("ScheduleKeyDeletion: requestParameters.pendingWindowInDays:");
    expect(issue.eventId).toBe(BASE.eventId);
  });
});
