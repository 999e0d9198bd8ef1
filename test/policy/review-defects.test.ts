import { describe, expect, it } from "vitest";
import { normalizeGrantee, normalizePrincipal } from "../../src/events/principal.js";
import {
  authorizeOperation,
  entryCovers,
  evaluateConditionEntry,
  type GrantInput,
  grantAllows,
  kmsRequestContext,
  principalSpecCovers,
  recordNetworkFacts,
  whoCan,
} from "../../src/policy/index.js";
import { mustParse } from "./helpers.js";

/** Regressions from review: each case failed before its fix. */
const ACCOUNT = "111122223333";
const OTHER = "444455556666";
const root = `arn:aws:iam::${ACCOUNT}:root`;
const admin = `arn:aws:iam::${ACCOUNT}:role/Admin`;
const otherRole = normalizePrincipal(`arn:aws:iam::${ACCOUNT}:role/Other`);

const grant = (grantee: string, fields: Partial<GrantInput> = {}): GrantInput => ({
  grantId: "g-1",
  grantee: normalizeGrantee(grantee),
  retiringPrincipal: null,
  operations: ["Decrypt"],
  constraints: null,
  ...fields,
});

describe("NotPrincipal Deny listing the account root (AWS's recommended form)", () => {
  const policy = mustParse({
    Statement: [
      { Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" },
      {
        Effect: "Deny",
        NotPrincipal: { AWS: [admin, `arn:aws:sts::${ACCOUNT}:assumed-role/Admin/s`, root] },
        Action: "kms:Decrypt",
        Resource: "*",
      },
    ],
  });
  const deny = policy.statements[1];

  it("exempts the listed role, and of the account only its root user", () => {
    if (!deny) throw new Error("no Deny");
    expect(principalSpecCovers(deny.principals, normalizePrincipal(admin)).extent).toBe("none");
    expect(principalSpecCovers(deny.principals, otherRole).extent).toBe("all");
    expect(principalSpecCovers(deny.principals, normalizePrincipal(ACCOUNT)).extent).toBe("partial");
  });

  it("keeps the Deny beside the account's delegation instead of dropping it", () => {
    const [entry] = authorizeOperation(policy, [], "Decrypt").principals;
    expect(entry).toMatchObject({ principal: ACCOUNT, conditional: true });
    expect(entry?.denies).toHaveLength(1);
  });
});

describe("a NotPrincipal Deny and a principal known only by an unresolved unique id", () => {
  const ADMIN_ID = "AROAEXAMPLEADMINID1";
  const denyAllBut = (...exempt: string[]) =>
    mustParse({
      Statement: [
        { Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" },
        {
          Sid: "OnlyAdmin",
          Effect: "Deny",
          NotPrincipal: { AWS: exempt },
          Action: "kms:Decrypt",
          Resource: "*",
        },
      ],
    });
  const idGrant = grant(ADMIN_ID);

  it("may or may not reach an id that could be the exempted role: kept, conditional, not removed", () => {
    const policy = denyAllBut(admin, root);
    const deny = policy.statements[1];
    if (!deny) throw new Error("no Deny");
    const coverage = principalSpecCovers(deny.principals, normalizePrincipal(ADMIN_ID));
    expect(coverage).toMatchObject({
      extent: "partial",
      reason: expect.stringContaining(`${ADMIN_ID} is unresolved`),
    });
    const answer = whoCan(policy, [idGrant], "Decrypt");
    expect(answer.removed).toEqual([]);
    const entry = answer.principals.find((p) => p.principal === ADMIN_ID);
    expect(entry).toMatchObject({ kind: "principal-id", conditional: true, operations: ["Decrypt"] });
    expect(entry?.denies).toEqual([expect.objectContaining({ sid: "OnlyAdmin", conditionResult: true })]);
  });

  it("reaches it whole when NotPrincipal exempts no role or user (an account's root user is no unique id)", () => {
    const answer = whoCan(denyAllBut(root), [idGrant], "Decrypt");
    expect(answer.removed).toEqual([expect.objectContaining({ principal: ADMIN_ID, sid: "OnlyAdmin" })]);
    expect(answer.principals.map((p) => p.principal)).not.toContain(ADMIN_ID);
  });

  it("exempts the id NotPrincipal lists itself", () => {
    const answer = whoCan(denyAllBut(ADMIN_ID, root), [idGrant], "Decrypt");
    expect(answer.removed).toEqual([]);
    expect(answer.principals.find((p) => p.principal === ADMIN_ID)).toMatchObject({ conditional: false });
  });
});

describe("a service principal under its regional and global names", () => {
  const ddbGrant = grant("dynamodb.us-west-2.amazonaws.com", { operations: ["GenerateDataKey"] });
  const ddb = normalizePrincipal("dynamodb.amazonaws.com");

  it("matches a grant to dynamodb.<region> with the caller dynamodb.amazonaws.com, either way", () => {
    if (!ddbGrant.grantee) throw new Error("no grantee");
    expect(entryCovers(ddbGrant.grantee, ddb).extent).toBe("all");
    expect(entryCovers(ddb, ddbGrant.grantee).extent).toBe("all");
    expect(entryCovers(normalizePrincipal("logs.us-east-1.amazonaws.com"), ddb).extent).toBe("none");
  });

  it("covers the service only, never a role it acts for (its forwarded calls are the role's: attribution)", () => {
    if (!ddbGrant.grantee) throw new Error("no grantee");
    expect(entryCovers(ddbGrant.grantee, normalizePrincipal(admin)).extent).toBe("none");
  });

  it("reaches a policy statement naming logs.<region> from the logs.amazonaws.com caller", () => {
    const policy = mustParse({
      Statement: {
        Effect: "Allow",
        Principal: { Service: "logs.us-east-1.amazonaws.com" },
        Action: "kms:GenerateDataKey*",
        Resource: "*",
      },
    });
    const [statement] = policy.statements;
    if (!statement) throw new Error("no statement");
    const logs = normalizePrincipal("logs.amazonaws.com");
    expect(principalSpecCovers(statement.principals, logs).extent).toBe("all");
  });
});

describe("a CreateGrant record without operations (eventVersion 1.02)", () => {
  const unknownOps = grant(`arn:aws:iam::${ACCOUNT}:role/Ec2`, { operations: [], operationsKnown: false });

  it("is a conditional route for any grant operation, flagged", () => {
    const decision = grantAllows(unknownOps, "Decrypt");
    expect(decision.allowed).toBe("unknown");
    expect(decision.via.operationsUnknown).toBe(true);
    const [entry] = whoCan(null, [unknownOps], "Decrypt").principals;
    expect(entry).toMatchObject({ principal: unknownOps.grantee?.id, conditional: true });
  });

  it("never allows what no grant can (PutKeyPolicy)", () => {
    expect(grantAllows(unknownOps, "PutKeyPolicy").allowed).toBe(false);
  });

  it("a grant with known operations is unchanged", () => {
    expect(grantAllows(grant(admin), "Decrypt").allowed).toBe(true);
    expect(grantAllows(grant(admin), "Encrypt").allowed).toBe(false);
  });
});

describe("a grant to one assumed-role session", () => {
  const session = `arn:aws:sts::${OTHER}:assumed-role/XSess/only-this`;
  const role = `arn:aws:iam::${OTHER}:role/XSess`;
  const sessionGrant = grant(session);

  it("keeps the session as grantee, and who-can lists the session, not the role", () => {
    expect(sessionGrant.grantee).toEqual({ id: session, kind: "role", account: OTHER });
    const principals = whoCan(null, [sessionGrant], "Decrypt").principals.map((p) => p.principal);
    expect(principals).toEqual([session]);
  });

  it("covers a caller of the role only with the same session name", () => {
    if (!sessionGrant.grantee) throw new Error("no grantee");
    const caller = normalizePrincipal(role);
    const covers = (sessionName: string | null | undefined) =>
      entryCovers(sessionGrant.grantee as NonNullable<GrantInput["grantee"]>, { ...caller, sessionName })
        .extent;
    expect(covers("only-this")).toBe("all");
    expect(covers("other-session")).toBe("none");
    expect(covers(undefined)).toBe("partial");
  });

  it("is still reached by a Deny on its role or its account", () => {
    const policy = mustParse({
      Statement: [{ Effect: "Deny", Principal: { AWS: role }, Action: "kms:*", Resource: "*" }],
    });
    const answer = authorizeOperation(policy, [sessionGrant], "Decrypt");
    expect(answer.principals).toEqual([]);
    expect(answer.removed.map((r) => r.principal)).toEqual([session]);
  });
});

describe("conditions decided from the caller and the record", () => {
  const callerAccountPolicy = mustParse({
    Statement: [
      {
        Sid: "Caller",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/CallerAcct` },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { "kms:CallerAccount": "999999999999" } },
      },
      {
        Sid: "Own",
        Effect: "Allow",
        Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Own` },
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT } },
      },
      {
        Sid: "Anyone",
        Effect: "Allow",
        Principal: "*",
        Action: "kms:Decrypt",
        Resource: "*",
        Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT } },
      },
    ],
  });

  it("kms:CallerAccount is the account of a named role, even without request facts", () => {
    const got = Object.fromEntries(
      authorizeOperation(callerAccountPolicy, [], "Decrypt").principals.map((p) => [
        p.principal,
        p.conditional,
      ]),
    );
    expect(got).toEqual({ "*": true, [`arn:aws:iam::${ACCOUNT}:role/Own`]: false });
  });

  it("a Deny on other accounts does not reach a principal of the key's account", () => {
    const policy = mustParse({
      Statement: [
        { Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" },
        {
          Effect: "Deny",
          Principal: "*",
          Action: "kms:*",
          Resource: "*",
          Condition: { StringNotEquals: { "kms:CallerAccount": ACCOUNT } },
        },
      ],
    });
    const [entry] = authorizeOperation(policy, [], "Decrypt").principals;
    expect(entry).toMatchObject({ principal: ACCOUNT, conditional: false, denies: [] });
  });

  it("IpAddress and NotIpAddress compare aws:SourceIp with CIDRs (IPv4 and IPv6)", () => {
    const context = kmsRequestContext({ sourceIp: "203.0.113.6" });
    expect(evaluateConditionEntry("NotIpAddress", "aws:SourceIp", ["10.0.0.0/8"], context).value).toBe(true);
    expect(evaluateConditionEntry("IpAddress", "aws:SourceIp", ["203.0.113.0/24"], context).value).toBe(true);
    expect(evaluateConditionEntry("IpAddress", "aws:SourceIp", ["203.0.113.6"], context).value).toBe(true);
    const v6 = kmsRequestContext({ sourceIp: "2001:db8::1" });
    expect(evaluateConditionEntry("IpAddress", "aws:SourceIp", ["2001:db8::/32"], v6).value).toBe(true);
    expect(evaluateConditionEntry("IpAddress", "aws:SourceIp", ["10.0.0.0/8"], v6).value).toBe(false);
    expect(evaluateConditionEntry("IpAddress", "aws:SourceIp", ["10.0.0.0/8"]).value).toBe("unknown");
  });

  it("a direct call's public sourceIPAddress is aws:SourceIp; service and private addresses stay unknown", () => {
    expect(recordNetworkFacts(null, "203.0.113.6")).toEqual({
      sourceIp: "203.0.113.6",
      viaAwsService: false,
    });
    expect(recordNetworkFacts(null, "10.1.1.1")).toEqual({ viaAwsService: false });
    expect(recordNetworkFacts("ebs.amazonaws.com", "ebs.amazonaws.com")).toEqual({});
    expect(recordNetworkFacts(null, "dynamodb.amazonaws.com")).toEqual({});
    expect(recordNetworkFacts(null, "AWS Internal")).toEqual({});
  });

  it("a NotIpAddress Deny removes a direct call from outside the range", () => {
    const policy = mustParse({
      Statement: [
        { Effect: "Allow", Principal: { AWS: root }, Action: "kms:*", Resource: "*" },
        {
          Sid: "IpDeny",
          Effect: "Deny",
          Principal: { AWS: "*" },
          Action: "kms:Decrypt",
          Resource: "*",
          Condition: {
            NotIpAddress: { "aws:SourceIp": "10.0.0.0/8" },
            Bool: { "aws:ViaAWSService": "false" },
          },
        },
      ],
    });
    const context = kmsRequestContext({ callerAccount: ACCOUNT, ...recordNetworkFacts(null, "203.0.113.6") });
    const answer = authorizeOperation(policy, [], "Decrypt", { context });
    expect(answer.principals).toEqual([]);
    expect(answer.removed.map((r) => r.principal)).toEqual([ACCOUNT]);
    const unknownIp = kmsRequestContext({ callerAccount: ACCOUNT, ...recordNetworkFacts(null, "10.1.1.1") });
    const kept = authorizeOperation(policy, [], "Decrypt", { context: unknownIp });
    expect(kept.principals[0]).toMatchObject({ principal: ACCOUNT, conditional: true });
  });
});
