import { describe, expect, it } from "vitest";
import { ACCOUNT, BASE, kmsRecord, normalized } from "./helpers.js";

describe("STS AssumeRole normalizers", () => {
  it("AssumeRole links the session to its role", () => {
    const record = kmsRecord({
      eventSource: "sts.amazonaws.com",
      eventName: "AssumeRole",
      requestParameters: {
        roleArn: `arn:aws:iam::${ACCOUNT}:role/Deploy`,
        roleSessionName: "ci-42",
        durationSeconds: 900,
      },
      responseElements: {
        credentials: {
          accessKeyId: "ASIAEXAMPLE",
          expiration: "Mar 2, 2024, 10:15:00 AM",
          sessionToken: "token",
        },
        assumedRoleUser: {
          assumedRoleId: "AROAEXAMPLE:ci-42",
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Deploy/ci-42`,
        },
      },
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "sts",
      name: "AssumeRole",
      roleArn: `arn:aws:iam::${ACCOUNT}:role/Deploy`,
      roleSessionName: "ci-42",
      assumedRoleArn: `arn:aws:sts::${ACCOUNT}:assumed-role/Deploy/ci-42`,
      assumedRoleId: "AROAEXAMPLE:ci-42",
      accessKeyId: "ASIAEXAMPLE",
      sourceIdentity: null,
    });
  });

  it("AssumeRoleWithSAML takes the session name from the session ARN", () => {
    const record = kmsRecord({
      eventSource: "sts.amazonaws.com",
      eventName: "AssumeRoleWithSAML",
      userIdentity: {
        type: "SAMLUser",
        principalId: "Okta:bob",
        userName: "bob",
        identityProvider: `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`,
      },
      requestParameters: {
        roleArn: `arn:aws:iam::${ACCOUNT}:role/Admin`,
        principalArn: `arn:aws:iam::${ACCOUNT}:saml-provider/Okta`,
      },
      responseElements: {
        assumedRoleUser: {
          assumedRoleId: "AROAEXAMPLE:bob",
          arn: `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/bob`,
        },
      },
    });
    expect(normalized(record)).toMatchObject({
      name: "AssumeRoleWithSAML",
      roleSessionName: "bob",
      actor: { kind: "federated", id: "Okta:bob" },
    });
  });
});
