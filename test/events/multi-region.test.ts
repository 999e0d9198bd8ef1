import { describe, expect, it } from "vitest";
import { ACCOUNT, BASE, kmsRecord, normalized } from "./helpers.js";

const MRK = "mrk-1234abcd12ab34cd56ef1234567890ab";
const PRIMARY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${MRK}`;
const REPLICA = `arn:aws:kms:us-west-2:${ACCOUNT}:key/${MRK}`;

describe("multi-Region normalizers", () => {
  it("ReplicateKey: the primary is the key, the replica comes from the response", () => {
    const record = kmsRecord({
      eventName: "ReplicateKey",
      awsRegion: "us-east-1",
      requestParameters: {
        keyId: MRK,
        replicaRegion: "us-west-2",
        bypassPolicyLockoutSafetyCheck: false,
        description: "",
      },
      responseElements: {
        replicaKeyMetadata: {
          keyId: MRK,
          arn: REPLICA,
          keyState: "Creating",
          origin: "AWS_KMS",
          multiRegion: true,
          description: "",
        },
        replicaPolicy: '{"Version":"2012-10-17","Statement":[]}',
      },
      resources: [{ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: PRIMARY }],
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      region: "us-east-1",
      source: "kms",
      name: "ReplicateKey",
      key: { arn: PRIMARY, alias: null, raw: MRK },
      replicaRegion: "us-west-2",
      replica: { arn: REPLICA, alias: null, raw: null },
      replicaPolicy: { Version: "2012-10-17", Statement: [] },
      description: "",
      tags: [],
      replicaKeyState: "Creating",
      origin: "AWS_KMS",
    });
  });

  it("a failed ReplicateKey derives the replica ARN from the primary", () => {
    const record = kmsRecord({
      eventName: "ReplicateKey",
      awsRegion: "us-east-1",
      errorCode: "AccessDeniedException",
      requestParameters: { keyId: PRIMARY, replicaRegion: "us-west-2" },
      responseElements: null,
    });
    expect(normalized(record)).toMatchObject({
      key: { arn: PRIMARY },
      replica: { arn: REPLICA },
      replicaPolicy: null,
    });
  });

  it("UpdatePrimaryRegion", () => {
    const record = kmsRecord({
      eventName: "UpdatePrimaryRegion",
      requestParameters: { keyId: MRK, primaryRegion: "ap-northeast-1" },
      resources: [{ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: REPLICA }],
    });
    expect(normalized(record)).toEqual({
      ...BASE,
      source: "kms",
      name: "UpdatePrimaryRegion",
      key: { arn: REPLICA, alias: null, raw: MRK },
      primaryRegion: "ap-northeast-1",
    });
  });
});
