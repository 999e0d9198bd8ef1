import { describe, expect, it } from "vitest";
import type { Actor } from "../../src/events/index.js";
import { normalizeActor, userIdentitySchema } from "../../src/events/index.js";

const none = { principalId: null, sessionName: null, accessKeyId: null, arn: null };

describe("normalizeActor", () => {
  it.each<[string, unknown, Actor]>([
    [
      "IAMUser",
      {
        type: "IAMUser",
        principalId: "AIDAEXAMPLE",
        arn: "arn:aws:iam::111122223333:user/ops/Alice",
        accountId: "111122223333",
        accessKeyId: "AKIAEXAMPLE",
        userName: "Alice",
      },
      {
        id: "arn:aws:iam::111122223333:user/Alice",
        kind: "user",
        account: "111122223333",
        identityType: "IAMUser",
        arn: "arn:aws:iam::111122223333:user/ops/Alice",
        principalId: "AIDAEXAMPLE",
        sessionName: null,
        accessKeyId: "AKIAEXAMPLE",
      },
    ],
    [
      "AssumedRole with a session issuer (role path dropped)",
      {
        type: "AssumedRole",
        principalId: "AROAEXAMPLE:alice@example.com",
        arn: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com",
        accountId: "111122223333",
        accessKeyId: "ASIAEXAMPLE",
        sessionContext: {
          sessionIssuer: {
            type: "Role",
            principalId: "AROAEXAMPLE",
            arn: "arn:aws:iam::111122223333:role/aws-reserved/sso.amazonaws.com/us-west-2/AWSReservedSSO_Admin_0123",
            accountId: "111122223333",
            userName: "AWSReservedSSO_Admin_0123",
          },
        },
      },
      {
        id: "arn:aws:iam::111122223333:role/AWSReservedSSO_Admin_0123",
        kind: "role",
        account: "111122223333",
        identityType: "AssumedRole",
        arn: "arn:aws:sts::111122223333:assumed-role/AWSReservedSSO_Admin_0123/alice@example.com",
        principalId: "AROAEXAMPLE:alice@example.com",
        sessionName: "alice@example.com",
        accessKeyId: "ASIAEXAMPLE",
      },
    ],
    [
      "AssumedRole without session context",
      { type: "AssumedRole", arn: "arn:aws:sts::111122223333:assumed-role/MyAppRole/i-0abc" },
      {
        ...none,
        id: "arn:aws:iam::111122223333:role/MyAppRole",
        kind: "role",
        account: "111122223333",
        identityType: "AssumedRole",
        arn: "arn:aws:sts::111122223333:assumed-role/MyAppRole/i-0abc",
        sessionName: "i-0abc",
      },
    ],
    [
      "Root",
      {
        type: "Root",
        principalId: "111122223333",
        arn: "arn:aws:iam::111122223333:root",
        accountId: "111122223333",
      },
      {
        ...none,
        id: "111122223333",
        kind: "account",
        account: "111122223333",
        identityType: "Root",
        arn: "arn:aws:iam::111122223333:root",
        principalId: "111122223333",
      },
    ],
    [
      "AWSService with invokedBy",
      { type: "AWSService", invokedBy: "dynamodb.amazonaws.com" },
      { ...none, id: "dynamodb.amazonaws.com", kind: "service", account: null, identityType: "AWSService" },
    ],
    [
      "AWSAccount (a caller in another account)",
      { type: "AWSAccount", principalId: "AROAEXAMPLE:lambda", accountId: "444455556666" },
      {
        ...none,
        id: "444455556666",
        kind: "account",
        account: "444455556666",
        identityType: "AWSAccount",
        principalId: "AROAEXAMPLE:lambda",
      },
    ],
    [
      "FederatedUser",
      {
        type: "FederatedUser",
        principalId: "111122223333:bob",
        arn: "arn:aws:sts::111122223333:federated-user/bob",
        accountId: "111122223333",
      },
      {
        ...none,
        id: "arn:aws:sts::111122223333:federated-user/bob",
        kind: "federated",
        account: "111122223333",
        identityType: "FederatedUser",
        arn: "arn:aws:sts::111122223333:federated-user/bob",
        principalId: "111122223333:bob",
      },
    ],
    [
      "IdentityCenterUser",
      { type: "IdentityCenterUser", accountId: "111122223333", principalId: "d-9067230000:a1b2c3d4" },
      {
        ...none,
        id: "d-9067230000:a1b2c3d4",
        kind: "federated",
        account: "111122223333",
        identityType: "IdentityCenterUser",
        principalId: "d-9067230000:a1b2c3d4",
      },
    ],
    [
      "SAMLUser",
      {
        type: "SAMLUser",
        principalId: "SAMLStandard:bob",
        userName: "bob",
        identityProvider: "arn:aws:iam::111122223333:saml-provider/Okta",
      },
      {
        ...none,
        id: "SAMLStandard:bob",
        kind: "federated",
        account: null,
        identityType: "SAMLUser",
        principalId: "SAMLStandard:bob",
      },
    ],
    [
      "WebIdentityUser",
      {
        type: "WebIdentityUser",
        principalId: "accounts.google.com:app:user",
        userName: "user",
        identityProvider: "accounts.google.com",
      },
      {
        ...none,
        id: "accounts.google.com:app:user",
        kind: "federated",
        account: null,
        identityType: "WebIdentityUser",
        principalId: "accounts.google.com:app:user",
      },
    ],
    [
      "service event: only accountId and invokedBy",
      { accountId: "111122223333", invokedBy: "kms.amazonaws.com" },
      { ...none, id: "kms.amazonaws.com", kind: "service", account: null, identityType: null },
    ],
    [
      "no userIdentity at all",
      undefined,
      { ...none, id: "unknown", kind: "unknown", account: null, identityType: null },
    ],
  ])("%s", (_label, identity, expected) => {
    expect(normalizeActor(identity === undefined ? undefined : userIdentitySchema.parse(identity))).toEqual(
      expected,
    );
  });
});
