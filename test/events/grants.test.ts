import { describe, expect, it } from "vitest";
import { ACCOUNT, BASE, issueOf, KEY_ARN, KEY_ID, KEY_RESOURCES, kmsRecord, normalized } from "./helpers.js";

const GRANT_ID = "0ab0ac0d0b000f00ea00cc0a0e00fc00bce000c000f0000000c0bc0a0000aaafSAMPLE";

describe("grant normalizers", () => {
  it("CreateGrant: principals normalized (a session kept whole), operations kept as an array, constraints stringified", () => {
    const record = kmsRecord({
      eventName: "CreateGrant",
      requestParameters: {
        keyId: KEY_ARN,
        granteePrincipal: `arn:aws:sts::${ACCOUNT}:assumed-role/Builder/ci-run`,
        retiringPrincipal: "m2.us-west-2.amazonaws.com ",
        operations: ["Decrypt", "GenerateDataKey"],
        constraints: { encryptionContextSubset: { "aws:m2:app": "a1bc2def", revision: 3 } },
        name: "ci-grant",
      },
      responseElements: { grantId: GRANT_ID, keyId: KEY_ARN },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "CreateGrant",
      key: { arn: KEY_ARN, alias: null, raw: KEY_ARN },
      grantId: GRANT_ID,
      // The grant serves session ci-run only, not every session of role/Builder.
      grantee: { id: `arn:aws:sts::${ACCOUNT}:assumed-role/Builder/ci-run`, kind: "role", account: ACCOUNT },
      retiringPrincipal: { id: "m2.us-west-2.amazonaws.com", kind: "service", account: null },
      operations: ["Decrypt", "GenerateDataKey"],
      operationsKnown: true,
      constraints: {
        encryptionContextSubset: { "aws:m2:app": "a1bc2def", revision: "3" },
        encryptionContextEquals: null,
      },
      grantName: "ci-grant",
    });
  });

  it("CreateGrant in the old eventVersion shape (constraints, no operations)", () => {
    const record = kmsRecord({
      eventVersion: "1.02",
      eventName: "CreateGrant",
      requestParameters: {
        keyId: KEY_ARN,
        granteePrincipal: `${ACCOUNT}:aws:ec2-infrastructure:i-81e2f56c`,
        constraints: { encryptionContextSubset: { "aws:ebs:id": "vol-f67bafb2" } },
      },
      responseElements: { grantId: GRANT_ID },
      resources: [{ ARN: KEY_ARN, accountId: ACCOUNT }],
    });
    expect(normalized(record)).toMatchObject({
      name: "CreateGrant",
      operations: [],
      operationsKnown: false,
      grantee: { kind: "unknown" },
      constraints: {
        encryptionContextSubset: { "aws:ebs:id": "vol-f67bafb2" },
        encryptionContextEquals: null,
      },
    });
  });

  it("RetireGrant by token: grantId from additionalEventData", () => {
    const record = kmsRecord({
      eventName: "RetireGrant",
      requestParameters: null,
      additionalEventData: { grantId: GRANT_ID },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "RetireGrant",
      key: { arn: KEY_ARN, alias: null, raw: null },
      grantId: GRANT_ID,
      byToken: true,
    });
  });

  it("RevokeGrant: grantId and key from requestParameters", () => {
    const record = kmsRecord({
      eventName: "RevokeGrant",
      requestParameters: { keyId: KEY_ID, grantId: GRANT_ID },
      resources: KEY_RESOURCES,
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "RevokeGrant",
      key: { arn: KEY_ARN, alias: null, raw: KEY_ID },
      grantId: GRANT_ID,
    });
  });

  it("operations that are not an array are an unknown-shape issue", () => {
    const issue = issueOf(
      kmsRecord({ eventName: "CreateGrant", requestParameters: { keyId: KEY_ID, operations: "Decrypt" } }),
    );
    expect(issue).toMatchObject({ code: "unknown-shape", eventId: BASE.eventId, index: 7 });
    expect(issue.reason).toMatch(/^CreateGrant: requestParameters\.operations: /);
  });
});
