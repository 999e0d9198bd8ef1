import { describe, expect, it } from "vitest";
import { type EvaluationOptions, kmsRequestContext, statementsFor } from "../../src/policy/index.js";
import {
  ACCOUNT,
  cloudTrailKeyPolicy,
  consoleDefaultPolicy,
  crossAccountPolicy,
  defaultKeyPolicy,
  ebsViaServicePolicy,
  KEY_ADMIN,
  KEY_USER,
  OTHER_ACCOUNT,
  TRAIL_ARN,
} from "./documented-policies.js";
import { mustParse } from "./helpers.js";

const ALICE = `arn:aws:iam::${ACCOUNT}:role/Alice`;
const trailEc = { "aws:cloudtrail:arn": TRAIL_ARN };

const notPrincipalDeny = (excluded: string[]) => ({
  Version: "2012-10-17",
  Statement: [
    { Sid: "Root", Effect: "Allow", Principal: { AWS: ACCOUNT }, Action: "kms:*", Resource: "*" },
    { Sid: "Users", Effect: "Allow", Principal: { AWS: [KEY_ADMIN, ALICE] }, Action: "kms:*", Resource: "*" },
    {
      Sid: "OnlyAdminsChangePolicy",
      Effect: "Deny",
      NotPrincipal: { AWS: excluded },
      Action: ["kms:PutKeyPolicy", "kms:ScheduleKeyDeletion"],
      Resource: "*",
    },
  ],
});

const notActionPolicy = {
  Statement: {
    Sid: "EverythingButDecrypt",
    Effect: "Allow",
    Principal: { AWS: ALICE },
    NotAction: ["kms:Decrypt", "kms:ScheduleKeyDeletion"],
    Resource: "*",
  },
};

const requireContextPolicy = {
  Statement: [
    {
      Sid: "Root",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "RequireEncryptionContext",
      Effect: "Deny",
      Principal: "*",
      Action: "kms:Decrypt",
      Resource: "*",
      Condition: { Null: { "kms:EncryptionContextKeys": "true" } },
    },
  ],
};

interface Row {
  name: string;
  policy: unknown;
  operation: string;
  options?: EvaluationOptions;
  /** principal -> conditional */
  expected: Record<string, boolean>;
  removed?: string[];
}

const rows: Row[] = [
  {
    name: "default key policy: root kms:* is IAM delegation",
    policy: defaultKeyPolicy,
    operation: "Decrypt",
    expected: { [ACCOUNT]: false },
  },
  {
    name: "console default: key users decrypt, admins do not",
    policy: consoleDefaultPolicy,
    operation: "kms:Decrypt",
    expected: { [ACCOUNT]: false, [KEY_USER]: false },
  },
  {
    name: "console default: ReEncrypt on the source key is kms:ReEncryptFrom",
    policy: consoleDefaultPolicy,
    operation: "ReEncrypt",
    expected: { [ACCOUNT]: false, [KEY_USER]: false },
  },
  {
    name: "console default: GenerateDataKey* covers GenerateDataKeyPair",
    policy: consoleDefaultPolicy,
    operation: "GenerateDataKeyPair",
    expected: { [ACCOUNT]: false, [KEY_USER]: false },
  },
  {
    name: "console default: PutKeyPolicy through kms:Put*",
    policy: consoleDefaultPolicy,
    operation: "PutKeyPolicy",
    expected: { [ACCOUNT]: false, [KEY_ADMIN]: false },
  },
  {
    name: "console default: persistent-resource grants are conditional",
    policy: consoleDefaultPolicy,
    operation: "CreateGrant",
    expected: { [ACCOUNT]: false, [KEY_ADMIN]: false, [KEY_USER]: true },
  },
  {
    name: "console default: CreateGrant for an AWS resource holds",
    policy: consoleDefaultPolicy,
    operation: "CreateGrant",
    options: { context: kmsRequestContext({ grantIsForAwsResource: true }) },
    expected: { [ACCOUNT]: false, [KEY_ADMIN]: false, [KEY_USER]: false },
  },
  {
    name: "console default: CreateGrant not for an AWS resource drops key users",
    policy: consoleDefaultPolicy,
    operation: "CreateGrant",
    options: { context: kmsRequestContext({ grantIsForAwsResource: false }) },
    expected: { [ACCOUNT]: false, [KEY_ADMIN]: false },
  },
  {
    name: "CloudTrail: the service encrypts logs under conditions",
    policy: cloudTrailKeyPolicy,
    operation: "GenerateDataKey",
    expected: { [ACCOUNT]: false, "cloudtrail.amazonaws.com": true },
  },
  {
    name: "CloudTrail: the trail's own request satisfies them",
    policy: cloudTrailKeyPolicy,
    operation: "GenerateDataKey",
    options: { context: kmsRequestContext({ sourceArn: TRAIL_ARN, encryptionContext: trailEc }) },
    expected: { [ACCOUNT]: false, "cloudtrail.amazonaws.com": false },
  },
  {
    name: "CloudTrail: another account's trail context fails them",
    policy: cloudTrailKeyPolicy,
    operation: "GenerateDataKey",
    options: {
      context: kmsRequestContext({
        sourceArn: TRAIL_ARN,
        encryptionContext: { "aws:cloudtrail:arn": `arn:aws:cloudtrail:us-east-1:${OTHER_ACCOUNT}:trail/x` },
      }),
    },
    expected: { [ACCOUNT]: false },
  },
  {
    name: "CloudTrail: anyone in the account may decrypt logs, conditionally",
    policy: cloudTrailKeyPolicy,
    operation: "Decrypt",
    expected: { [ACCOUNT]: false, "*": true },
  },
  {
    name: "CloudTrail: a caller from another account may not",
    policy: cloudTrailKeyPolicy,
    operation: "Decrypt",
    options: { context: kmsRequestContext({ callerAccount: OTHER_ACCOUNT, encryptionContext: trailEc }) },
    expected: { [ACCOUNT]: false },
  },
  {
    name: "CloudTrail: a caller from the account with the trail context may",
    policy: cloudTrailKeyPolicy,
    operation: "Decrypt",
    options: { context: kmsRequestContext({ callerAccount: ACCOUNT, encryptionContext: trailEc }) },
    expected: { [ACCOUNT]: false, "*": false },
  },
  {
    name: "cross-account root delegates to the other account's IAM",
    policy: crossAccountPolicy,
    operation: "Encrypt",
    expected: { [ACCOUNT]: false, [OTHER_ACCOUNT]: false },
  },
  {
    name: "cross-account root gets no key administration",
    policy: crossAccountPolicy,
    operation: "ScheduleKeyDeletion",
    expected: { [ACCOUNT]: false },
  },
  {
    // Listing the account root exempts the root user only: the account's other principals stay denied.
    name: "NotPrincipal Deny removes everyone not excluded",
    policy: notPrincipalDeny([KEY_ADMIN, `arn:aws:iam::${ACCOUNT}:root`]),
    operation: "PutKeyPolicy",
    expected: { [ACCOUNT]: true, [KEY_ADMIN]: false },
    removed: [ALICE],
  },
  {
    name: "NotPrincipal Deny does not touch other actions",
    policy: notPrincipalDeny([KEY_ADMIN, ACCOUNT]),
    operation: "Decrypt",
    expected: { [ACCOUNT]: false, [KEY_ADMIN]: false, [ALICE]: false },
  },
  {
    name: "NotPrincipal without the role's account is reported, not trusted",
    policy: notPrincipalDeny([KEY_ADMIN]),
    operation: "PutKeyPolicy",
    expected: { [ACCOUNT]: true, [KEY_ADMIN]: true },
    removed: [ALICE],
  },
  {
    name: "NotAction allows everything else",
    policy: notActionPolicy,
    operation: "Encrypt",
    expected: { [ALICE]: false },
  },
  { name: "NotAction excludes what it lists", policy: notActionPolicy, operation: "Decrypt", expected: {} },
  {
    name: "EBS via-service: conditional without context",
    policy: ebsViaServicePolicy,
    operation: "Decrypt",
    expected: { "*": true },
  },
  {
    name: "EBS via-service: a call through EC2 in the account holds",
    policy: ebsViaServicePolicy,
    operation: "Decrypt",
    options: {
      context: kmsRequestContext({ callerAccount: ACCOUNT, viaService: "ec2.us-west-2.amazonaws.com" }),
    },
    expected: { "*": false },
  },
  {
    name: "EBS via-service: a direct call does not",
    policy: ebsViaServicePolicy,
    operation: "Decrypt",
    options: { context: kmsRequestContext({ callerAccount: ACCOUNT, viaService: null }) },
    expected: {},
  },
  {
    name: "Null Deny without context is reported beside the allow",
    policy: requireContextPolicy,
    operation: "Decrypt",
    expected: { [ACCOUNT]: true },
  },
  {
    name: "Null Deny: a request with an encryption context passes",
    policy: requireContextPolicy,
    operation: "Decrypt",
    options: { context: kmsRequestContext({ encryptionContext: { Department: "IT" } }) },
    expected: { [ACCOUNT]: false },
  },
  {
    name: "Null Deny: a request without one is denied",
    policy: requireContextPolicy,
    operation: "Decrypt",
    options: { context: kmsRequestContext({ encryptionContext: null }) },
    expected: {},
    removed: [ACCOUNT],
  },
];

describe("statementsFor on documented key policies", () => {
  it.each(rows)("$name", ({ policy, operation, options, expected, removed }) => {
    const answer = statementsFor(mustParse(policy), operation, options);
    const got = Object.fromEntries(answer.principals.map((p) => [p.principal, p.conditional]));
    expect(got).toEqual(expected);
    expect(answer.removed.map((r) => r.principal).sort()).toEqual((removed ?? []).sort());
  });
});

describe("statementsFor details", () => {
  it("names account delegation as iamDelegation and roles as keyPolicy, with the sid", () => {
    const answer = statementsFor(mustParse(consoleDefaultPolicy), "Decrypt");
    const root = answer.principals.find((p) => p.principal === ACCOUNT);
    const user = answer.principals.find((p) => p.principal === KEY_USER);
    expect(root).toMatchObject({ kind: "account", operations: ["Decrypt"] });
    expect(root?.via).toEqual([
      { type: "iamDelegation", account: ACCOUNT, sid: "Enable IAM User Permissions", statement: 0 },
    ]);
    expect(user?.via).toEqual([{ type: "keyPolicy", sid: "Allow use of the key", statement: 2 }]);
  });

  it("keeps conditions whole and says which keys were undecided", () => {
    const context = kmsRequestContext({ callerAccount: ACCOUNT });
    const answer = statementsFor(mustParse(cloudTrailKeyPolicy), "Decrypt", { context });
    const anyone = answer.principals.find((p) => p.principal === "*");
    expect(anyone?.via[0]?.conditions).toEqual({
      StringEquals: { "kms:CallerAccount": ACCOUNT },
      StringLike: { "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*` },
    });
    expect(anyone?.via[0]?.conditionResult).toBe("unknown");
    expect(anyone?.via[0]?.undecided?.map((u) => u.key)).toEqual([
      "kms:EncryptionContext:aws:cloudtrail:arn",
    ]);
  });

  it("reports the ReEncrypt destination side as kms:ReEncryptTo", () => {
    const policy = mustParse({
      Statement: { Effect: "Allow", Principal: { AWS: KEY_USER }, Action: "kms:ReEncryptTo", Resource: "*" },
    });
    expect(statementsFor(policy, "ReEncrypt").principals).toEqual([]);
    const destination = statementsFor(policy, "ReEncrypt", { side: "destination" });
    expect(destination.action).toBe("ReEncryptTo");
    expect(destination.principals.map((p) => p.principal)).toEqual([KEY_USER]);
  });

  it("keeps an assumed-role session whole (that session only) and reads role paths as the role", () => {
    const policy = mustParse({
      Statement: {
        Effect: "Allow",
        Principal: {
          AWS: [
            `arn:aws:sts::${ACCOUNT}:assumed-role/KeyUser/session-1`,
            `arn:aws:iam::${ACCOUNT}:role/team/Alice`,
          ],
        },
        Action: "kms:Decrypt",
        Resource: "*",
      },
    });
    expect(statementsFor(policy, "Decrypt").principals.map((p) => [p.principal, p.kind])).toEqual([
      [ALICE, "role"],
      [`arn:aws:sts::${ACCOUNT}:assumed-role/KeyUser/session-1`, "role"],
    ]);
  });

  it("skips statements whose Resource names another key when the key ARN is given", () => {
    const keyArn = `arn:aws:kms:us-east-1:${ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab`;
    const policy = mustParse({
      Statement: [
        { Effect: "Allow", Principal: { AWS: KEY_USER }, Action: "kms:Decrypt", Resource: keyArn },
        {
          Effect: "Allow",
          Principal: { AWS: ALICE },
          Action: "kms:Decrypt",
          Resource: `arn:aws:kms:us-east-1:${ACCOUNT}:key/other`,
        },
      ],
    });
    expect(statementsFor(policy, "Decrypt", { keyArn }).principals.map((p) => p.principal)).toEqual([
      KEY_USER,
    ]);
  });

  it("flags an operation name that is not a KMS action but still matches kms:*", () => {
    const answer = statementsFor(mustParse(defaultKeyPolicy), "kms:FutureOperation");
    expect(answer.knownAction).toBe(false);
    expect(answer.principals.map((p) => p.principal)).toEqual([ACCOUNT]);
  });

  it("reports a conditional Deny beside the allow with its reason", () => {
    const answer = statementsFor(mustParse(requireContextPolicy), "Decrypt");
    expect(answer.principals[0]?.denies).toEqual([
      {
        sid: "RequireEncryptionContext",
        statement: 1,
        conditions: { Null: { "kms:EncryptionContextKeys": "true" } },
        conditionResult: "unknown",
        undecided: [
          {
            operator: "Null",
            key: "kms:EncryptionContextKeys",
            reason: "kms:EncryptionContextKeys is not in the context",
          },
        ],
        reason: "the Deny applies when its conditions hold",
      },
    ]);
  });
});
