import { describe, expect, it } from "vitest";
import { normalizeGrantee } from "../../src/events/index.js";
import {
  escalationAnswer,
  escalationPaths,
  type GrantInput,
  kmsRequestContext,
  whoCan,
} from "../../src/policy/index.js";
import { mustParse } from "./helpers.js";

/**
 * KMS's cross-account rule in the evaluator (docs/authorization.md, "Cross-account use"): with the key's ARN
 * given, an action AWS documents as not cross-account is never allowed to a principal of another account.
 */
const KEY = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
const OWN = "111122223333";
const OUTSIDE = "999988887777";

const statement = (Principal: unknown, Action: string | string[], extra: object = {}) => ({
  Effect: "Allow",
  Principal,
  Action,
  Resource: "*",
  ...extra,
});
const policyOf = (...Statement: unknown[]) => mustParse({ Version: "2012-10-17", Statement });
const names = (answer: { principals: { principal: string }[] }) => answer.principals.map((p) => p.principal);

describe("routes for operations that are not cross-account", () => {
  it("drop a role, user and account of another account, and keep the key's own", () => {
    const policy = policyOf(
      statement(
        {
          AWS: [
            `arn:aws:iam::${OUTSIDE}:role/ExtAdmin`,
            `arn:aws:iam::${OUTSIDE}:user/ext`,
            OUTSIDE,
            `arn:aws:sts::${OUTSIDE}:assumed-role/ExtAdmin/s`,
            `arn:aws:iam::${OWN}:role/Admin`,
          ],
        },
        "kms:ScheduleKeyDeletion",
      ),
    );
    const answer = whoCan(policy, [], "ScheduleKeyDeletion", { keyArn: KEY });
    expect(names(answer)).toEqual([`arn:aws:iam::${OWN}:role/Admin`]);
    expect(answer.refusedAcrossAccounts.map((route) => route.principal).sort()).toEqual([
      OUTSIDE,
      `arn:aws:iam::${OUTSIDE}:role/ExtAdmin`,
      `arn:aws:iam::${OUTSIDE}:user/ext`,
      `arn:aws:sts::${OUTSIDE}:assumed-role/ExtAdmin/s`,
    ]);
    // Without the key's ARN, the evaluator does not know the key's account and applies no rule.
    expect(names(whoCan(policy, [], "ScheduleKeyDeletion"))).toHaveLength(5);
  });

  it("keep a NotPrincipal Allow for the key's account only, conditional", () => {
    const policy = policyOf({
      Effect: "Allow",
      NotPrincipal: { AWS: `arn:aws:iam::${OWN}:role/Intern` },
      Action: "kms:PutKeyPolicy",
      Resource: "*",
    });
    const [anyone] = whoCan(policy, [], "PutKeyPolicy", { keyArn: KEY }).principals;
    expect(anyone).toMatchObject({ principal: "*", conditional: true });
    expect(anyone?.via[0]).toMatchObject({ except: [`arn:aws:iam::${OWN}:role/Intern`], onlyAccount: OWN });
  });

  it("keep a principal whose account is not known (an unresolved unique id), conditional with onlyAccount", () => {
    const policy = policyOf(statement({ AWS: "AROAEXAMPLEDELETED01" }, "kms:DisableKey"));
    const answer = whoCan(policy, [], "DisableKey", { keyArn: KEY });
    expect(answer.principals).toEqual([
      expect.objectContaining({
        principal: "AROAEXAMPLEDELETED01",
        conditional: true,
        via: [expect.objectContaining({ onlyAccount: OWN })],
      }),
    ]);
    // The caller's account, when the question gives it, decides.
    const outside = kmsRequestContext({ callerAccount: OUTSIDE });
    expect(whoCan(policy, [], "DisableKey", { keyArn: KEY, context: outside }).principals).toEqual([]);
  });

  it("leave a service principal as it is, and cross-account operations untouched", () => {
    const policy = policyOf(
      statement({ Service: "cloudtrail.amazonaws.com" }, "kms:DescribeKey"),
      statement({ AWS: OUTSIDE }, ["kms:Decrypt", "kms:GetKeyRotationStatus", "kms:ListGrants"]),
    );
    expect(names(whoCan(policy, [], "DescribeKey", { keyArn: KEY }))).toEqual(["cloudtrail.amazonaws.com"]);
    for (const operation of ["Decrypt", "GetKeyRotationStatus", "ListGrants"])
      expect(names(whoCan(policy, [], operation, { keyArn: KEY }))).toEqual([OUTSIDE]);
  });
});

describe("escalation and the cross-account rule", () => {
  const grants: GrantInput[] = [];
  const policy = policyOf(
    statement({ AWS: `arn:aws:iam::${OWN}:root` }, "kms:*"),
    statement({ AWS: OUTSIDE }, ["kms:PutKeyPolicy", "kms:CreateGrant", "kms:ReplicateKey"]),
  );

  it("offers PutKeyPolicy to the key's account only; CreateGrant, which is cross-account, stays", () => {
    const answer = escalationAnswer(policy, grants, { keyArn: KEY }, ["Encrypt"]);
    const outside = answer.principals.find((entry) => entry.principal === OUTSIDE);
    expect(outside?.via.map((via) => via.action)).toEqual(["CreateGrant"]);
    expect(answer.refusedAcrossAccounts).toEqual([
      expect.objectContaining({ principal: OUTSIDE, action: "PutKeyPolicy", statement: 1 }),
    ]);
  });
});

describe("ReplicateKey: an escalation on a multi-Region primary key", () => {
  const OWN_ROLE = `arn:aws:iam::${OWN}:role/Replicator`;
  const policy = policyOf(
    statement({ AWS: [OWN_ROLE, `arn:aws:iam::${OUTSIDE}:role/Ext`] }, "kms:ReplicateKey"),
  );

  it("gives a holder of kms:ReplicateKey the cryptographic operations, conditionally", () => {
    const paths = escalationPaths(policy, [], { keyArn: KEY, replicable: true }, ["Decrypt"]);
    expect(paths).toEqual([
      expect.objectContaining({
        principal: OWN_ROLE,
        operations: ["ReplicateKey"],
        conditional: true,
        via: [
          expect.objectContaining({
            type: "escalation",
            action: "ReplicateKey",
            conditionResult: "unknown",
            reaches: expect.arrayContaining(["Decrypt", "Encrypt", "Sign", "ReEncryptFrom"]),
          }),
        ],
      }),
    ]);
  });

  it("is not offered on a key that is not a multi-Region primary, nor for management operations", () => {
    expect(escalationPaths(policy, [], { keyArn: KEY }, ["Decrypt"])).toEqual([]);
    expect(escalationPaths(policy, [], { keyArn: KEY, replicable: true }, ["ScheduleKeyDeletion"])).toEqual(
      [],
    );
  });

  it("holders of CreateGrant through a grant do not gain ReplicateKey", () => {
    const grant: GrantInput = {
      grantId: "g1",
      grantee: normalizeGrantee(OWN_ROLE),
      retiringPrincipal: null,
      operations: ["CreateGrant", "Decrypt"],
      constraints: null,
    };
    const paths = escalationPaths(policyOf(), [grant], { keyArn: KEY, replicable: true }, ["Decrypt"]);
    expect(paths[0]?.via.map((via) => via.action)).toEqual(["CreateGrant"]);
  });
});
