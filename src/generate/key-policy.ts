import { roleArn } from "./identities.js";
import type { AccountWorld } from "./world.js";

/** The actions the KMS console gives key administrators and key users in its default policy. */
export const ADMIN_ACTIONS = [
  "kms:Create*",
  "kms:Describe*",
  "kms:Enable*",
  "kms:List*",
  "kms:Put*",
  "kms:Update*",
  "kms:Revoke*",
  "kms:Disable*",
  "kms:Get*",
  "kms:Delete*",
  "kms:TagResource",
  "kms:UntagResource",
  "kms:ScheduleKeyDeletion",
  "kms:CancelKeyDeletion",
  "kms:RotateKeyOnDemand",
];

export const USE_ACTIONS = [
  "kms:Encrypt",
  "kms:Decrypt",
  "kms:ReEncrypt*",
  "kms:GenerateDataKey*",
  "kms:DescribeKey",
];

/**
 * A console-style key policy (the shape of fixtures/scenarios/cross-account): root delegation, the key
 * administrator, the account's application roles, and optionally a partner account allowed to decrypt and
 * create grants. `revision` > 1 adds the grant-for-AWS-resources statement, as a later PutKeyPolicy would.
 */
export function keyPolicy(owner: AccountWorld, partner: string | null, revision: number): string {
  const statements: Record<string, unknown>[] = [
    {
      Sid: "Enable IAM User Permissions",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${owner.id}:root` },
      Action: "kms:*",
      Resource: "*",
    },
    {
      Sid: "Allow access for Key Administrators",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${owner.id}:user/${owner.admin.name}` },
      Action: ADMIN_ACTIONS,
      Resource: "*",
    },
    {
      Sid: "Allow use of the key",
      Effect: "Allow",
      Principal: { AWS: owner.appRoles.map(roleArn) },
      Action: USE_ACTIONS,
      Resource: "*",
    },
  ];
  if (partner) {
    statements.push({
      Sid: "Allow partner account",
      Effect: "Allow",
      Principal: { AWS: `arn:aws:iam::${partner}:root` },
      Action: ["kms:Decrypt", "kms:DescribeKey", "kms:CreateGrant"],
      Resource: "*",
    });
  }
  if (revision > 1) {
    statements.push({
      Sid: "Allow attachment of persistent resources",
      Effect: "Allow",
      Principal: { AWS: owner.appRoles.map(roleArn) },
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: "*",
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    });
  }
  return JSON.stringify(
    { Version: "2012-10-17", Id: `key-consolepolicy-${revision}`, Statement: statements },
    null,
    2,
  );
}
