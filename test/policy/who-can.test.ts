import { describe, expect, it } from "vitest";
import { normalizePrincipal } from "../../src/events/principal.js";
import { escalationPaths, type GrantInput, kmsRequestContext, whoCan } from "../../src/policy/index.js";
import { ACCOUNT, consoleDefaultPolicy, KEY_ADMIN, KEY_USER } from "./documented-policies.js";
import { mustParse } from "./helpers.js";

const LAMBDA = `arn:aws:iam::${ACCOUNT}:role/LambdaRole`;
const PIPELINE = `arn:aws:iam::${ACCOUNT}:role/Pipeline`;
const grants: GrantInput[] = [
  {
    grantId: "g-decrypt",
    grantee: normalizePrincipal(`arn:aws:sts::${ACCOUNT}:assumed-role/LambdaRole/fn`),
    retiringPrincipal: null,
    operations: ["Decrypt"],
    constraints: { encryptionContextSubset: { app: "billing" }, encryptionContextEquals: null },
  },
  {
    grantId: "g-delegate",
    grantee: normalizePrincipal(PIPELINE),
    retiringPrincipal: null,
    operations: ["Encrypt", "CreateGrant"],
    constraints: null,
  },
];

const policyWithDeny = mustParse({
  ...consoleDefaultPolicy,
  Statement: [
    ...consoleDefaultPolicy.Statement,
    {
      Sid: "NoPipelineDecrypt",
      Effect: "Deny",
      Principal: { AWS: PIPELINE },
      Action: "kms:*",
      Resource: "*",
    },
  ],
});

describe("escalationPaths", () => {
  it("lists PutKeyPolicy and CreateGrant holders by policy and by grant", () => {
    const paths = escalationPaths(mustParse(consoleDefaultPolicy), grants);
    expect(paths.map((p) => [p.principal, p.operations, p.conditional])).toEqual([
      [ACCOUNT, ["PutKeyPolicy", "CreateGrant"], false],
      [KEY_ADMIN, ["PutKeyPolicy", "CreateGrant"], false],
      [KEY_USER, ["CreateGrant"], true],
      [PIPELINE, ["CreateGrant"], false],
    ]);
    const pipeline = paths.find((p) => p.principal === PIPELINE);
    expect(pipeline?.via).toEqual([
      {
        type: "escalation",
        action: "CreateGrant",
        grantId: "g-delegate",
        reaches: ["Encrypt", "CreateGrant"],
      },
    ]);
    const root = paths.find((p) => p.principal === ACCOUNT);
    expect(root?.via[0]).toMatchObject({ type: "escalation", action: "PutKeyPolicy", account: ACCOUNT });
  });

  it("drops a grant holder that an unconditional Deny covers", () => {
    expect(escalationPaths(policyWithDeny, grants).map((p) => p.principal)).not.toContain(PIPELINE);
  });
});

describe("whoCan", () => {
  it("joins policy, grants (with constraints) and escalation for one operation", () => {
    const answer = whoCan(mustParse(consoleDefaultPolicy), grants, "Decrypt");
    const summary = answer.principals.map((p) => [
      p.principal,
      p.operations,
      p.via.map((v) => v.type),
      p.conditional,
    ]);
    expect(summary).toEqual([
      [ACCOUNT, ["Decrypt"], ["iamDelegation", "escalation", "escalation"], false],
      [KEY_ADMIN, [], ["escalation", "escalation"], false],
      [KEY_USER, ["Decrypt"], ["keyPolicy", "escalation"], false],
      [LAMBDA, ["Decrypt"], ["grant"], true],
    ]);
  });

  it("lists a grant's CreateGrant holder only for the operations of that grant, which is all it can give", () => {
    const holders = (operation: string) =>
      whoCan(mustParse(consoleDefaultPolicy), grants, operation).principals.map((p) => p.principal);
    expect(holders("Encrypt")).toContain(PIPELINE);
    expect(holders("Decrypt")).not.toContain(PIPELINE);
  });

  it("decides grant constraints from the request's encryption context", () => {
    const fits = whoCan(mustParse(consoleDefaultPolicy), grants, "Decrypt", {
      context: kmsRequestContext({ encryptionContext: { app: "billing" } }),
    });
    expect(fits.principals.find((p) => p.principal === LAMBDA)?.conditional).toBe(false);
    const other = whoCan(mustParse(consoleDefaultPolicy), grants, "Decrypt", {
      context: kmsRequestContext({ encryptionContext: { app: "hr" } }),
    });
    expect(other.principals.map((p) => p.principal)).not.toContain(LAMBDA);
  });

  it("lets a key-policy Deny override a grant", () => {
    const answer = whoCan(policyWithDeny, grants, "Encrypt");
    expect(answer.principals.map((p) => p.principal)).not.toContain(PIPELINE);
    expect(answer.removed).toContainEqual({
      principal: PIPELINE,
      kind: "role",
      sid: "NoPipelineDecrypt",
      statement: 4,
    });
  });

  it("lists grants alone when the policy is unknown", () => {
    const answer = whoCan(null, grants, "Encrypt");
    expect(answer.principals.map((p) => [p.principal, p.operations])).toEqual([[PIPELINE, ["Encrypt"]]]);
  });
});
