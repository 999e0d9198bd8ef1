import { describe, expect, it } from "vitest";
import { ACCOUNT, BASE, KEY_ARN, KEY_ID, KEY_RESOURCES, kmsRecord, normalized } from "./helpers.js";

describe("rotation normalizers", () => {
  it("EnableKeyRotation with a rotation period", () => {
    const record = kmsRecord({
      eventName: "EnableKeyRotation",
      requestParameters: { keyId: KEY_ID, rotationPeriodInDays: 180 },
      responseElements: { keyId: KEY_ARN },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "EnableKeyRotation",
      key: { arn: KEY_ARN, alias: null, raw: KEY_ID },
      rotationPeriodInDays: 180,
    });
  });

  it("RotateKey service event with material ids", () => {
    const record = kmsRecord({
      eventName: "RotateKey",
      userIdentity: { accountId: ACCOUNT, invokedBy: "kms.amazonaws.com" },
      eventType: "AwsServiceEvent",
      requestParameters: null,
      responseElements: null,
      serviceEventDetails: {
        rotationType: "ON_DEMAND",
        keyOrigin: "EXTERNAL",
        previousKeyMaterialId: "aa11",
        currentKeyMaterialId: "bb22",
        keyId: KEY_ID,
      },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toMatchObject({
      source: "kms",
      name: "RotateKey",
      key: { arn: KEY_ARN, alias: null, raw: KEY_ID },
      rotationType: "ON_DEMAND",
      keyMaterialId: "bb22",
      previousKeyMaterialId: "aa11",
      eventType: "AwsServiceEvent",
    });
  });

  it("DisableKeyRotation and RotateKeyOnDemand carry only the key", () => {
    for (const eventName of ["DisableKeyRotation", "RotateKeyOnDemand"]) {
      const event = normalized(
        kmsRecord({ eventName, requestParameters: { keyId: KEY_ARN }, resources: KEY_RESOURCES }),
      );
      expect(event).toEqual({
        ...BASE,
        source: "kms",
        name: eventName,
        key: { arn: KEY_ARN, alias: null, raw: KEY_ARN },
      });
    }
  });
});
