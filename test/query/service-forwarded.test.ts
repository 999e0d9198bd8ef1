import { describe, expect, it } from "vitest";
import { normalizeGrantee } from "../../src/events/index.js";
import type { GrantRecord, KeyRecord } from "../../src/model/index.js";
import { reach, type UsageCall, usage } from "../../src/query/index.js";
import {
  ACCOUNT,
  at,
  type BuiltCase,
  buildModel,
  call,
  found,
  grant,
  key,
  keyArn,
  OUTSIDER,
  policyVersion,
} from "./findings/case-builder.js";

/**
 * A route naming an AWS service principal serves the calls the service makes as itself (CloudTrail's
 * `AWSService` identity, normalized to the service), not a role's or user's call the service forwarded
 * (`invokedBy`): KMS authorizes that one on the caller's own permissions (IAM's forward access sessions; AWS's
 * "How Amazon DynamoDB uses AWS KMS" logs its Decrypt with the user who reads the table, its table-key
 * GenerateDataKey as the DynamoDB service). Regressions of a reviewer's cases.
 */
const K = keyArn("k-svc");
const DDB = "dynamodb.amazonaws.com";
const S3 = "s3.amazonaws.com";
const OUTSIDER_ROLE = `arn:aws:iam::${OUTSIDER}:role/Outsider`;
const APP = `arn:aws:iam::${ACCOUNT}:role/App`;
const KEY_ADMIN = `arn:aws:iam::${ACCOUNT}:user/kms-admin`;
const TABLE = JSON.stringify({ "aws:dynamodb:tableName": "Books", "aws:dynamodb:subscriberId": ACCOUNT });
const OBJECT = JSON.stringify({ "aws:s3:arn": "arn:aws:s3:::reports/q3.csv" });

const keyWith = (...statements: unknown[]): KeyRecord =>
  key("k-svc", {
    policies: [
      policyVersion(K, 1, at(0), { Version: "2012-10-17", Statement: statements }, "CreateKey-k-svc"),
    ],
  });
/** Only the key administrator, who may not use the key: no route for any caller but the ones a case adds. */
const administrator = {
  Sid: "Admin",
  Effect: "Allow",
  Principal: { AWS: KEY_ADMIN },
  Action: ["kms:Create*", "kms:Describe*", "kms:Put*"],
  Resource: "*",
};
const ddbGrant: GrantRecord = {
  ...grant("g-ddb", K, APP),
  grantee: normalizeGrantee("dynamodb.us-east-1.amazonaws.com"),
  operations: ["Decrypt", "GenerateDataKey"],
};
/** AWS's documented statement for a service: anyone of the account, through the service only. */
const throughService = (service: string) => ({
  Sid: `Through ${service}`,
  Effect: "Allow",
  Principal: { AWS: "*" },
  Action: ["kms:Decrypt", "kms:GenerateDataKey*"],
  Resource: "*",
  Condition: {
    StringEquals: { "kms:CallerAccount": ACCOUNT, "kms:ViaService": `${service}.us-east-1.amazonaws.com` },
  },
});

const detail = (parts: BuiltCase) => usage(buildModel(parts), { calls: true }).detail ?? [];
const attributionOf = (calls: UsageCall[], eventId: string | undefined) =>
  calls.find((entry) => entry.eventId === eventId)?.attribution;

describe("a grant to a service principal and the calls it forwards", () => {
  const parts: BuiltCase = {
    keys: [keyWith(administrator)],
    grants: [ddbGrant],
    usage: [
      // Another account's role reading a table through DynamoDB: logged as the role, invokedBy DynamoDB.
      call("Decrypt", at(10), OUTSIDER_ROLE, K, {
        sessionName: "x",
        invokedBy: DDB,
        sourceIp: DDB,
        encryptionContext: TABLE,
      }),
      // DynamoDB generating a table key under its grant: logged as the service (AWSService).
      call("GenerateDataKey", at(11), DDB, K, { invokedBy: DDB, sourceIp: DDB, encryptionContext: TABLE }),
    ],
  };
  const [forwarded, own] = parts.usage ?? [];

  it("does not explain a cross-account role's call by the grant to DynamoDB", () => {
    expect(attributionOf(detail(parts), forwarded?.eventId)).toMatchObject({
      basis: "none",
      noneReason: "no-route",
      candidates: [],
    });
  });

  it("explains the call DynamoDB made as itself by its grant, outright", () => {
    expect(attributionOf(detail(parts), own?.eventId)).toMatchObject({
      basis: "grant",
      conditional: false,
      candidates: [{ type: "grant", grantId: "g-ddb" }],
    });
  });

  it("reach and findings report the role's call as unexplained use", () => {
    const report = reach(buildModel(parts), OUTSIDER_ROLE, { from: at(0), to: at(60) });
    expect(report.usedButNotExplained).toEqual([
      expect.objectContaining({
        key: K,
        count: 1,
        eventIds: [forwarded?.eventId],
        reasons: { "no-route": 1 },
      }),
    ]);
    expect(found(parts, "unexplained-use")).toEqual([
      expect.objectContaining({ severity: "medium", eventIds: [forwarded?.eventId] }),
    ]);
  });
});

describe("a key policy statement naming a service principal", () => {
  const serviceStatement = {
    Sid: "S3Service",
    Effect: "Allow",
    Principal: { Service: S3 },
    Action: ["kms:Decrypt", "kms:GenerateDataKey"],
    Resource: "*",
  };
  const viaS3 = call("Decrypt", at(10), APP, K, {
    sessionName: "y",
    invokedBy: S3,
    sourceIp: S3,
    encryptionContext: OBJECT,
  });

  it("does not explain a role's call through S3", () => {
    const parts: BuiltCase = { keys: [keyWith(administrator, serviceStatement)], usage: [viaS3] };
    expect(attributionOf(detail(parts), viaS3.eventId)).toMatchObject({
      basis: "none",
      noneReason: "no-route",
    });
  });

  it("explains a call S3 made as itself", () => {
    const own = call("GenerateDataKey", at(11), S3, K, {
      invokedBy: S3,
      sourceIp: S3,
      encryptionContext: OBJECT,
    });
    const parts: BuiltCase = { keys: [keyWith(administrator, serviceStatement)], usage: [own] };
    expect(attributionOf(detail(parts), own.eventId)).toMatchObject({
      basis: "keyPolicy",
      conditional: false,
      candidates: [{ type: "keyPolicy", sid: "S3Service" }],
    });
  });
});

describe("AWS's documented statement for calls through a service", () => {
  const parts: BuiltCase = {
    keys: [keyWith(administrator, throughService("s3"))],
    usage: [
      call("Decrypt", at(10), APP, K, {
        sessionName: "y",
        invokedBy: S3,
        sourceIp: S3,
        encryptionContext: OBJECT,
      }),
      // The same role calling KMS itself: kms:ViaService is known absent.
      call("Decrypt", at(11), APP, K, {
        sessionName: "y",
        sourceIp: "203.0.113.7",
        encryptionContext: OBJECT,
      }),
      // Another account's role through S3: kms:CallerAccount is its own account.
      call("Decrypt", at(12), OUTSIDER_ROLE, K, { invokedBy: S3, sourceIp: S3, encryptionContext: OBJECT }),
    ],
  };

  it("explains the account's role through the service, outright, and nothing else", () => {
    const calls = detail(parts);
    const [through, direct, outsider] = parts.usage ?? [];
    expect(attributionOf(calls, through?.eventId)).toMatchObject({
      basis: "keyPolicy",
      conditional: false,
      candidates: [{ type: "keyPolicy", sid: "Through s3" }],
    });
    for (const row of [direct, outsider]) {
      expect(attributionOf(calls, row?.eventId)).toMatchObject({ basis: "none", noneReason: "no-route" });
    }
  });
});
