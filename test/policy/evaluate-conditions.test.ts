import { describe, expect, it } from "vitest";
import {
  evaluateConditionEntry,
  evaluateConditions,
  kmsRequestContext,
  type RequestContext,
} from "../../src/policy/index.js";

const ctx = (values: RequestContext["values"], authoritative: string[] = ["*"]): RequestContext => ({
  values,
  authoritative,
});
const empty = ctx({});

type Expect = true | false | "unknown";
const rows: [string, string, string[], RequestContext | undefined, Expect][] = [
  ["StringEquals", "kms:CallerAccount", ["111122223333"], ctx({ "kms:CallerAccount": "111122223333" }), true],
  ["StringEquals", "KMS:CALLERACCOUNT", ["111122223333"], ctx({ "kms:CallerAccount": "111122223333" }), true],
  [
    "StringEquals",
    "kms:CallerAccount",
    ["111122223333", "444455556666"],
    ctx({ "kms:CallerAccount": "444455556666" }),
    true,
  ],
  [
    "StringEquals",
    "kms:CallerAccount",
    ["111122223333"],
    ctx({ "kms:CallerAccount": "444455556666" }),
    false,
  ],
  ["StringEquals", "kms:CallerAccount", ["111122223333"], empty, false],
  ["StringEquals", "kms:CallerAccount", ["111122223333"], undefined, "unknown"],
  ["StringEquals", "kms:CallerAccount", ["111122223333"], ctx({}, []), "unknown"],
  ["StringNotEquals", "kms:CallerAccount", ["111122223333"], empty, true],
  [
    "StringNotEquals",
    "kms:CallerAccount",
    ["111122223333", "444455556666"],
    ctx({ "kms:CallerAccount": "444455556666" }),
    false,
  ],
  [
    "StringEqualsIgnoreCase",
    "aws:PrincipalType",
    ["assumedrole"],
    ctx({ "aws:PrincipalType": "AssumedRole" }),
    true,
  ],
  [
    "StringNotEqualsIgnoreCase",
    "aws:PrincipalType",
    ["assumedrole"],
    ctx({ "aws:PrincipalType": "AssumedRole" }),
    false,
  ],
  [
    "StringLike",
    "kms:ViaService",
    ["ec2.*.amazonaws.com"],
    ctx({ "kms:ViaService": "ec2.us-west-2.amazonaws.com" }),
    true,
  ],
  [
    "StringLike",
    "kms:ViaService",
    ["EC2.*"],
    ctx({ "kms:ViaService": "ec2.us-west-2.amazonaws.com" }),
    false,
  ],
  [
    "StringNotLike",
    "kms:ViaService",
    ["ec2.*"],
    ctx({ "kms:ViaService": "s3.us-east-1.amazonaws.com" }),
    true,
  ],
  ["StringEqualsIfExists", "kms:ViaService", ["s3.us-east-1.amazonaws.com"], empty, true],
  [
    "StringEqualsIfExists",
    "kms:ViaService",
    ["s3.us-east-1.amazonaws.com"],
    ctx({ "kms:ViaService": "ec2.us-east-1.amazonaws.com" }),
    false,
  ],
  ["StringEqualsIfExists", "kms:ViaService", ["s3.us-east-1.amazonaws.com"], undefined, "unknown"],
  [
    "ArnLike",
    "aws:PrincipalArn",
    ["arn:aws:iam::*:role/Deploy*"],
    ctx({ "aws:PrincipalArn": "arn:aws:iam::111122223333:role/DeployProd" }),
    true,
  ],
  [
    "ArnEquals",
    "aws:SourceArn",
    ["arn:aws:cloudtrail:*:111122223333:trail/*"],
    ctx({ "aws:SourceArn": "arn:aws:cloudtrail:us-east-1:444455556666:trail/t" }),
    false,
  ],
  [
    "ArnNotLike",
    "aws:PrincipalArn",
    ["arn:aws:iam::*:role/Deploy*"],
    ctx({ "aws:PrincipalArn": "arn:aws:iam::111122223333:role/Other" }),
    true,
  ],
  ["ArnLike", "aws:SourceArn", ["arn:aws:s3:::bucket"], ctx({ "aws:SourceArn": "not-an-arn" }), false],
  ["Bool", "kms:GrantIsForAWSResource", ["true"], ctx({ "kms:GrantIsForAWSResource": true }), true],
  ["Bool", "kms:GrantIsForAWSResource", ["true"], empty, false],
  ["BoolIfExists", "kms:GrantIsForAWSResource", ["true"], empty, true],
  ["Null", "kms:EncryptionContextKeys", ["true"], empty, true],
  [
    "Null",
    "kms:EncryptionContextKeys",
    ["false"],
    ctx({ "kms:EncryptionContextKeys": ["Department"] }),
    true,
  ],
  ["Null", "kms:EncryptionContextKeys", ["true"], undefined, "unknown"],
  [
    "ForAllValues:StringEquals",
    "kms:EncryptionContextKeys",
    ["Department", "Project"],
    ctx({ "kms:EncryptionContextKeys": ["Department"] }),
    true,
  ],
  [
    "ForAllValues:StringEquals",
    "kms:EncryptionContextKeys",
    ["Department", "Project"],
    ctx({ "kms:EncryptionContextKeys": ["Department", "Owner"] }),
    false,
  ],
  // IAM's well-known trap: ForAllValues holds for a request with no keys at all.
  ["ForAllValues:StringEquals", "kms:EncryptionContextKeys", ["Department"], empty, true],
  ["ForAnyValue:StringEquals", "kms:EncryptionContextKeys", ["Project"], empty, false],
  [
    "ForAnyValue:StringEquals",
    "kms:EncryptionContextKeys",
    ["Project"],
    ctx({ "kms:EncryptionContextKeys": ["Owner", "Project"] }),
    true,
  ],
  [
    "ForAnyValue:StringNotEquals",
    "kms:GrantOperations",
    ["Decrypt"],
    ctx({ "kms:GrantOperations": ["Decrypt", "Encrypt"] }),
    true,
  ],
  [
    "ForAllValues:StringNotEquals",
    "kms:GrantOperations",
    ["Decrypt"],
    ctx({ "kms:GrantOperations": ["Decrypt", "Encrypt"] }),
    false,
  ],
  [
    "StringEquals",
    "kms:GrantOperations",
    ["Decrypt"],
    ctx({ "kms:GrantOperations": ["Decrypt", "Encrypt"] }),
    "unknown",
  ],
  ["NumericLessThan", "kms:ExpirationModel", ["3"], empty, "unknown"],
  [
    "StringEquals",
    "aws:PrincipalArn",
    // A policy variable, written in two parts so that it is not read as a template placeholder.
    ["arn:aws:iam::111122223333:user/$" + "{aws:username}"],
    ctx({ "aws:PrincipalArn": "x" }),
    "unknown",
  ],
];

describe("evaluateConditionEntry", () => {
  it.each(rows)("%s %s %j -> %s", (operator, key, values, context, expected) => {
    expect(evaluateConditionEntry(operator, key, values, context).value).toBe(expected);
  });
});

describe("evaluateConditions", () => {
  const block = {
    StringEquals: { "kms:CallerAccount": ["111122223333"] },
    StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": ["arn:aws:cloudtrail:*:111122223333:trail/*"] },
  };
  it("is true when every entry holds, for an event's known facts", () => {
    const context = kmsRequestContext({
      callerAccount: "111122223333",
      encryptionContext: { "aws:cloudtrail:arn": "arn:aws:cloudtrail:us-east-1:111122223333:trail/t" },
    });
    expect(evaluateConditions(block, context)).toEqual({ outcome: true, undecided: [] });
  });
  it("is false as soon as one entry fails, even if others are unknown", () => {
    expect(evaluateConditions(block, kmsRequestContext({ callerAccount: "444455556666" })).outcome).toBe(
      false,
    );
  });
  it("is unknown with the undecided keys when the context is partial", () => {
    const result = evaluateConditions(block, kmsRequestContext({ callerAccount: "111122223333" }));
    expect(result.outcome).toBe("unknown");
    expect(result.undecided.map((u) => u.key)).toEqual(["kms:EncryptionContext:aws:cloudtrail:arn"]);
  });
  it("matches encryption-context condition keys without regard to the key's case", () => {
    const context = kmsRequestContext({ encryptionContext: { department: "IT" } });
    expect(
      evaluateConditions({ StringEquals: { "kms:EncryptionContext:Department": ["IT"] } }, context).outcome,
    ).toBe(true);
    expect(
      evaluateConditions({ StringEquals: { "kms:EncryptionContext:Department": ["it"] } }, context).outcome,
    ).toBe(false);
  });
});
