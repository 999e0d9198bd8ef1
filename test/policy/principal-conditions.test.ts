import { describe, expect, it } from "vitest";
import { normalizeGrantee, normalizePrincipal } from "../../src/events/principal.js";
import {
  authorizeOperation,
  evaluateConditionEntry,
  kmsRequestContext,
  principalIdentityFacts,
  principalSpecCovers,
} from "../../src/policy/index.js";
import { mustParse } from "./helpers.js";

/**
 * aws:PrincipalArn and aws:PrincipalType where the principal is known: a route to a named role or user (its
 * kind decides them) and a caller whose record names it (principalIdentityFacts). Role and user ARNs are known
 * but for their IAM path, so a condition that the path could change stays undecided. And NotPrincipal
 * listing one assumed-role session.
 */

const ACCOUNT = "111122223333";
const APP = `arn:aws:iam::${ACCOUNT}:role/App`;
const BOB = `arn:aws:iam::${ACCOUNT}:user/bob`;

const allow = (Sid: string, principal: string, Condition: unknown) => ({
  Sid,
  Effect: "Allow",
  Principal: { AWS: principal },
  Action: "kms:Decrypt",
  Resource: "*",
  Condition,
});

describe("aws:PrincipalType and aws:PrincipalArn of a principal a statement names", () => {
  const policy = mustParse({
    Statement: [
      allow("RolesOnly", APP, { StringEquals: { "aws:PrincipalType": "AssumedRole" } }),
      allow("NoUsers", BOB, { StringEquals: { "aws:PrincipalType": "AssumedRole" } }),
      allow("Delegated", ACCOUNT, { StringEquals: { "aws:PrincipalType": "AssumedRole" } }),
    ],
  });

  it("decides them from the principal's kind: a role acts as AssumedRole, a user as User", () => {
    const principals = authorizeOperation(policy, [], "Decrypt").principals;
    expect(principals.map(({ principal, conditional }) => [principal, conditional])).toEqual([
      [ACCOUNT, true],
      [APP, false],
    ]);
  });

  it("leaves them unknown for an account: IAM delegation means any principal in it", () => {
    const [delegated] = authorizeOperation(policy, [], "Decrypt").principals;
    expect(delegated?.via[0]).toMatchObject({
      type: "iamDelegation",
      conditionResult: "unknown",
      undecided: [expect.objectContaining({ key: "aws:PrincipalType" })],
    });
  });
});

describe("an ARN known but for its IAM path", () => {
  const caller = kmsRequestContext(principalIdentityFacts(normalizePrincipal(APP)));
  const arnLike = (value: string) =>
    evaluateConditionEntry("ArnLike", "aws:PrincipalArn", [value], caller).value;

  it("is the role's ARN for a session, and a user's own ARN", () => {
    expect(principalIdentityFacts(normalizeGrantee(`arn:aws:sts::${ACCOUNT}:assumed-role/App/s1`))).toEqual({
      principalArn: APP,
      principalArnPathUnknown: true,
      principalType: "AssumedRole",
    });
    expect(principalIdentityFacts(normalizePrincipal(BOB))).toMatchObject({
      principalArn: BOB,
      principalType: "User",
    });
    expect(principalIdentityFacts(normalizePrincipal(ACCOUNT))).toEqual({});
  });

  it("decides a condition every path answers alike, and no other", () => {
    expect(arnLike(`arn:aws:iam::${ACCOUNT}:role/*`)).toBe(true);
    expect(arnLike("arn:aws:iam::*:role/*App")).toBe(true);
    expect(arnLike(`arn:aws:iam::999988887777:role/App`)).toBe(false);
    expect(arnLike(`arn:aws:iam::${ACCOUNT}:role/Other`)).toBe(false);
    expect(arnLike(`arn:aws:iam::${ACCOUNT}:user/*`)).toBe(false);
    // Each of these holds for some paths of role App and not for others.
    for (const value of [
      APP,
      `arn:aws:iam::${ACCOUNT}:role/App*`,
      `arn:aws:iam::${ACCOUNT}:role/service-role/App`,
      "arn:aws:iam::*:role/aws-reserved/sso.amazonaws.com/*",
    ]) {
      expect(evaluateConditionEntry("ArnLike", "aws:PrincipalArn", [value], caller), value).toMatchObject({
        value: "unknown",
        reason: expect.stringContaining("IAM path"),
      });
    }
  });

  it("is exact when the question gives it (--context aws:PrincipalArn=…)", () => {
    const given = kmsRequestContext({ principalArn: APP });
    expect(evaluateConditionEntry("ArnEquals", "aws:PrincipalArn", [APP], given).value).toBe(true);
  });
});

describe("NotPrincipal listing one assumed-role session", () => {
  const deny = mustParse({
    Statement: {
      Effect: "Deny",
      NotPrincipal: {
        AWS: [`arn:aws:sts::${ACCOUNT}:assumed-role/App/breakglass`, `arn:aws:iam::${ACCOUNT}:root`],
      },
      Action: "kms:*",
      Resource: "*",
    },
  }).statements[0];

  it("exempts that session only: the role's other sessions are denied, the role as a whole partly", () => {
    if (!deny) throw new Error("no Deny");
    const app = normalizePrincipal(APP);
    expect(principalSpecCovers(deny.principals, { ...app, sessionName: "breakglass" }).extent).toBe("none");
    expect(principalSpecCovers(deny.principals, { ...app, sessionName: "worker" }).extent).toBe("all");
    expect(principalSpecCovers(deny.principals, app)).toEqual({
      extent: "partial",
      reason: `NotPrincipal exempts only session breakglass of ${APP}`,
      sessions: { reaches: "allBut", sessions: [`arn:aws:sts::${ACCOUNT}:assumed-role/App/breakglass`] },
    });
  });
});

describe("kms:CallerAccount of a federated user a statement names", () => {
  // GetFederationToken's federated user acts in the account of its ARN (aws:PrincipalAccount), like a role or
  // user: the cross-account rule already said so, and the condition evaluation now agrees with it.
  const OTHER = "999988887777";
  const own = `arn:aws:sts::${ACCOUNT}:federated-user/alice`;
  const other = `arn:aws:sts::${OTHER}:federated-user/mallory`;
  const policy = mustParse({
    Statement: [
      allow("Own", own, { StringEquals: { "kms:CallerAccount": ACCOUNT } }),
      allow("Other", other, { StringEquals: { "kms:CallerAccount": ACCOUNT } }),
    ],
  });

  it("holds for one of the key's account and never for one of another", () => {
    const answer = authorizeOperation(policy, [], "Decrypt");
    expect(answer.principals.map(({ principal, conditional }) => [principal, conditional])).toEqual([
      [own, false],
    ]);
  });
});
