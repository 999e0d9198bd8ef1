import { describe, expect, it } from "vitest";
import { normalizeGrantee } from "../../src/events/index.js";
import type { GrantRecord, KeyRecord } from "../../src/model/index.js";
import { reach, type UsageCall, usage, whoCanAt } from "../../src/query/index.js";
import {
  ACCOUNT,
  allow,
  at,
  type BuiltCase,
  buildModel,
  call,
  grant,
  key,
  keyArn,
  OUTSIDER,
  policyVersion,
  rootPolicy,
} from "./findings/case-builder.js";

/**
 * What usage, reach and who-can make of facts a call's record gives beyond its principal: the session name
 * (a grant to one session), the service that called (invokedBy, under either of a service's names), the
 * source address, and a CreateGrant that did not log its operations.
 */
const K = keyArn("k-1");
const APP = `arn:aws:iam::${ACCOUNT}:role/App`;
const ADMIN = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const G = `arn:aws:iam::${ACCOUNT}:role/G`;
const XSESS = `arn:aws:iam::${OUTSIDER}:role/XSess`;

const keyWith = (document: unknown): KeyRecord =>
  key("k-1", { policies: [policyVersion(K, 1, at(0), document, "CreateKey")] });
const policyOf = (...statements: unknown[]) => ({ Version: "2012-10-17", Statement: statements });
const grantTo = (id: string, grantee: string, overrides: Partial<GrantRecord> = {}): GrantRecord => ({
  ...grant(id, K, APP),
  grantee: normalizeGrantee(grantee),
  ...overrides,
});
const detail = (parts: BuiltCase) => usage(buildModel(parts), { calls: true }).detail ?? [];
const byEventId = (calls: UsageCall[], eventId: string | undefined) =>
  calls.find((entry) => entry.eventId === eventId)?.attribution;

describe("a grant to one assumed-role session", () => {
  const parts: BuiltCase = {
    keys: [keyWith(rootPolicy())],
    grants: [grantTo("g-sess", `arn:aws:sts::${OUTSIDER}:assumed-role/XSess/only-this`)],
    usage: [
      call("Decrypt", at(10), XSESS, K, { sessionName: "only-this" }),
      // Same role, same key, same minute-range: only the session name differs.
      call("Decrypt", at(11), XSESS, K, { sessionName: "other-session" }),
    ],
  };

  it("usage credits the grant to that session's call only; another session of the role has no route", () => {
    const calls = detail(parts);
    expect(byEventId(calls, parts.usage?.[0]?.eventId)).toMatchObject({
      basis: "grant",
      conditional: false,
      candidates: [{ type: "grant", grantId: "g-sess" }],
    });
    expect(byEventId(calls, parts.usage?.[1]?.eventId)).toMatchObject({
      basis: "none",
      noneReason: "no-route",
      candidates: [],
    });
  });

  it("reach flags the other session's call as unexplained", () => {
    const report = reach(buildModel(parts), XSESS, { from: at(0), to: at(60) });
    expect(report.usedButNotExplained).toEqual([
      expect.objectContaining({
        count: 1,
        eventIds: [parts.usage?.[1]?.eventId],
        reasons: { "no-route": 1 },
      }),
    ]);
  });
});

describe("a service named by its regional name in a grant, logged by its global name", () => {
  const DDB_REGIONAL = "dynamodb.us-east-1.amazonaws.com";
  const DDB = "dynamodb.amazonaws.com";
  const parts: BuiltCase = {
    keys: [keyWith(policyOf(allow("App", APP)))],
    grants: [grantTo("g-ddb", DDB_REGIONAL, { operations: ["Decrypt", "GenerateDataKey"] })],
    usage: [
      call("GenerateDataKey", at(10), DDB, K, { invokedBy: DDB }),
      // DynamoDB decrypting for a user: the user is the principal, the service only invokedBy.
      call("Decrypt", at(11), ADMIN, K, { sessionName: "user01", invokedBy: DDB }),
      call("Decrypt", at(12), ADMIN, K, { sessionName: "user01" }),
    ],
  };

  it("usage credits the grant with the calls the service made as itself, not with those it made for a caller", () => {
    const calls = detail(parts);
    expect(byEventId(calls, parts.usage?.[0]?.eventId)).toMatchObject({
      basis: "grant",
      conditional: false,
      candidates: [{ grantId: "g-ddb" }],
    });
    // KMS authorizes a call DynamoDB forwards for a user on the user's own permissions (forward access
    // sessions): the user has no route of its own, through the service or not.
    for (const row of parts.usage?.slice(1) ?? []) {
      expect(byEventId(calls, row.eventId)).toMatchObject({ basis: "none", noneReason: "no-route" });
    }
  });

  it("usage --principal finds the service's calls under either name", () => {
    for (const name of [DDB, DDB_REGIONAL]) {
      const report = usage(buildModel(parts), { principal: name });
      expect(report.calls.map((group) => [group.principal, group.operation, group.count])).toEqual([
        [ADMIN, "Decrypt", 1],
        [DDB, "GenerateDataKey", 1],
      ]);
    }
  });

  it("reach of the service lists the key through the grant, and the calls it made", () => {
    for (const name of [DDB, DDB_REGIONAL]) {
      const report = reach(buildModel(parts), name, { at: at(30) });
      expect(report.keys).toEqual([
        expect.objectContaining({
          operations: ["Decrypt", "GenerateDataKey"],
          via: [expect.objectContaining({ type: "grant", grantId: "g-ddb" })],
          used: [
            expect.objectContaining({ operation: "GenerateDataKey", count: 1 }),
            expect.objectContaining({ operation: "Decrypt", count: 1 }),
          ],
        }),
      ]);
    }
  });
});

describe("conditions the record decides", () => {
  const callerAccount = {
    ...allow("Caller", G, "kms:Encrypt"),
    Condition: { StringEquals: { "kms:CallerAccount": OUTSIDER } },
  };
  const fromOffice = {
    ...allow("Office", APP, "kms:Encrypt"),
    Condition: { IpAddress: { "aws:SourceIp": "203.0.113.0/24" } },
  };
  const denyOutside = {
    Sid: "DenyOutside",
    Effect: "Deny",
    Principal: { AWS: "*" },
    Action: "kms:Decrypt",
    Resource: "*",
    Condition: { NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" }, Bool: { "aws:ViaAWSService": "false" } },
  };
  const parts: BuiltCase = {
    keys: [keyWith(policyOf(fromOffice, callerAccount, allow("Admin", ADMIN, "kms:*"), denyOutside))],
    usage: [
      call("Encrypt", at(10), APP, K, { sourceIp: "203.0.113.7" }),
      call("Encrypt", at(11), APP, K, { sourceIp: "198.51.100.10" }),
      call("Encrypt", at(12), G, K, { sourceIp: "203.0.113.7" }),
      // A direct Decrypt from a public address outside 10/8: the Deny holds.
      call("Decrypt", at(13), ADMIN, K, { sourceIp: "198.51.100.10" }),
      // Through a VPC endpoint (private address) aws:SourceIp is not known: the Deny may apply.
      call("Decrypt", at(14), ADMIN, K, { sourceIp: "10.1.1.1" }),
      // A service calling for the caller: aws:ViaAWSService is not false, nothing decided.
      call("Decrypt", at(15), ADMIN, K, { sourceIp: "s3.amazonaws.com", invokedBy: "s3.amazonaws.com" }),
    ],
  };

  it("aws:SourceIp decides an Allow per address, and kms:CallerAccount by the caller's account", () => {
    const calls = detail(parts);
    const [office, elsewhere, otherAccount] = parts.usage ?? [];
    expect(byEventId(calls, office?.eventId)).toMatchObject({ basis: "keyPolicy", conditional: false });
    expect(byEventId(calls, elsewhere?.eventId)).toMatchObject({ basis: "none", noneReason: "no-route" });
    expect(byEventId(calls, otherAccount?.eventId)).toMatchObject({ basis: "none", noneReason: "no-route" });
  });

  it("a NotIpAddress Deny refuses a direct call from outside, and stays possible when the address is unknown", () => {
    const calls = detail(parts);
    const [, , , outside, vpc, viaS3] = parts.usage ?? [];
    expect(byEventId(calls, outside?.eventId)).toMatchObject({
      basis: "none",
      noneReason: "denied-by-policy",
      denies: [{ sid: "DenyOutside" }],
    });
    for (const row of [vpc, viaS3]) {
      expect(byEventId(calls, row?.eventId)).toMatchObject({
        basis: "keyPolicy",
        conditional: true,
        denies: [{ sid: "DenyOutside" }],
      });
    }
  });
});

describe("a Deny that names another role", () => {
  it("does not make calls of the role's account conditional", () => {
    const denyXBad = {
      Sid: "DenyXBad",
      Effect: "Deny",
      Principal: { AWS: `arn:aws:iam::${OUTSIDER}:role/XBad` },
      Action: "kms:Decrypt",
      Resource: "*",
    };
    const parts: BuiltCase = {
      keys: [keyWith(rootPolicy(allow("Xacct", `arn:aws:iam::${OUTSIDER}:root`), denyXBad))],
      usage: [call("Decrypt", at(10), `arn:aws:iam::${OUTSIDER}:role/XUser`, K, { sessionName: "s1" })],
    };
    const [entry] = detail(parts);
    expect(entry?.attribution).toMatchObject({ basis: "iamDelegation", conditional: false });
    expect(entry?.attribution?.denies).toBeUndefined();
  });
});

describe("a grant whose CreateGrant record did not log its operations", () => {
  const EC2_SESSION_GRANTEE = `${ACCOUNT}:aws:ec2-infrastructure:i-81e2f56c`;
  const EC2_ROLE = `arn:aws:iam::${ACCOUNT}:role/aws:ec2-infrastructure`;
  const CAVEAT =
    /grant g-old: the CreateGrant record did not log the grant's operations; it may allow any grant operation/;
  const parts: BuiltCase = {
    keys: [key("k-1")],
    grants: [
      grantTo("g-old", EC2_SESSION_GRANTEE, {
        operations: [],
        operationsKnown: false,
        constraints: { encryptionContextSubset: { "aws:ebs:id": "vol-1" }, encryptionContextEquals: null },
      }),
    ],
    principals: [
      { id: EC2_ROLE, kind: "role", account: ACCOUNT, sessionNames: ["i-81e2f56c"], principalIds: [] },
    ],
    usage: [
      call("Decrypt", at(10), EC2_ROLE, K, {
        sessionName: "i-81e2f56c",
        encryptionContext: '{"aws:ebs:id":"vol-1"}',
      }),
    ],
  };

  it("who-can lists the grantee as a conditional route, with the caveat", () => {
    const report = whoCanAt(buildModel(parts), K, at(20));
    expect(report.principals).toEqual([
      expect.objectContaining({
        principal: EC2_SESSION_GRANTEE,
        conditional: true,
        // The grant route, and its escalation (it may include CreateGrant).
        via: [
          expect.objectContaining({ type: "grant", grantId: "g-old", operationsUnknown: true }),
          expect.objectContaining({ type: "escalation", grantId: "g-old", operationsUnknown: true }),
        ],
      }),
    ]);
    expect(report.caveats.join("\n")).toMatch(CAVEAT);
  });

  it("usage credits the session's Decrypt to the grant (the grantee named the old way), conditionally", () => {
    const report = usage(buildModel(parts), { calls: true });
    expect(report.detail?.[0]?.attribution).toMatchObject({
      basis: "grant",
      conditional: true,
      candidates: [{ grantId: "g-old", operationsUnknown: true }],
    });
    expect(report.caveats.join("\n")).toMatch(CAVEAT);
  });

  it("reach of the grantee carries the caveat", () => {
    const report = reach(buildModel(parts), G, { at: at(20) });
    expect(report.caveats.join("\n")).not.toMatch(CAVEAT);
    const grantee = reach(
      buildModel({ ...parts, grants: [{ ...grantTo("g-old", G), operations: [], operationsKnown: false }] }),
      G,
      { at: at(20) },
    );
    expect(grantee.keys).toEqual([expect.objectContaining({ conditional: true })]);
    expect(grantee.caveats.join("\n")).toMatch(CAVEAT);
    expect(grantee.caveats.join("\n")).not.toMatch(/route\(s\) depend on conditions/);
  });
});
