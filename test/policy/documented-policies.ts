/**
 * Key policies written after the examples in the AWS KMS Developer Guide and CloudTrail User Guide
 * (default key policy, console default, CloudTrail trail key, EBS via-service), with their placeholder ids.
 */
export const ACCOUNT = "111122223333";
export const OTHER_ACCOUNT = "444455556666";
export const KEY_ADMIN = `arn:aws:iam::${ACCOUNT}:role/KeyAdmin`;
export const KEY_USER = `arn:aws:iam::${ACCOUNT}:role/KeyUser`;
export const TRAIL_ARN = `arn:aws:cloudtrail:us-east-1:${ACCOUNT}:trail/management-events`;

const rootStatement = {
  Sid: "Enable IAM User Permissions",
  Effect: "Allow",
  Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` },
  Action: "kms:*",
  Resource: "*",
};

export const defaultKeyPolicy = { Version: "2012-10-17", Id: "key-default-1", Statement: [rootStatement] };

export const consoleDefaultPolicy = {
  Version: "2012-10-17",
  Id: "key-consolepolicy-3",
  Statement: [
    rootStatement,
    {
      Sid: "Allow access for Key Administrators",
      Effect: "Allow",
      Principal: { AWS: KEY_ADMIN },
      Action: [
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
      ],
      Resource: "*",
    },
    {
      Sid: "Allow use of the key",
      Effect: "Allow",
      Principal: { AWS: KEY_USER },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
    },
    {
      Sid: "Allow attachment of persistent resources",
      Effect: "Allow",
      Principal: { AWS: KEY_USER },
      Action: ["kms:CreateGrant", "kms:ListGrants", "kms:RevokeGrant"],
      Resource: "*",
      Condition: { Bool: { "kms:GrantIsForAWSResource": "true" } },
    },
  ],
};

const trailContext = {
  "kms:EncryptionContext:aws:cloudtrail:arn": `arn:aws:cloudtrail:*:${ACCOUNT}:trail/*`,
};

export const cloudTrailKeyPolicy = {
  Version: "2012-10-17",
  Id: "Key policy created by CloudTrail",
  Statement: [
    rootStatement,
    {
      Sid: "Allow CloudTrail to encrypt logs",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:GenerateDataKey*",
      Resource: "*",
      Condition: { StringEquals: { "aws:SourceArn": TRAIL_ARN }, StringLike: trailContext },
    },
    {
      Sid: "Allow CloudTrail to describe key",
      Effect: "Allow",
      Principal: { Service: "cloudtrail.amazonaws.com" },
      Action: "kms:DescribeKey",
      Resource: "*",
    },
    {
      Sid: "Allow principals in the account to decrypt log files",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: ["kms:Decrypt", "kms:ReEncryptFrom"],
      Resource: "*",
      Condition: { StringEquals: { "kms:CallerAccount": ACCOUNT }, StringLike: trailContext },
    },
  ],
};

export const ebsViaServicePolicy = {
  Version: "2012-10-17",
  Statement: [
    {
      Sid: "Allow access through EBS for all principals in the account that are authorized to use EBS",
      Effect: "Allow",
      Principal: { AWS: "*" },
      Action: [
        "kms:Encrypt",
        "kms:Decrypt",
        "kms:ReEncrypt*",
        "kms:GenerateDataKey*",
        "kms:CreateGrant",
        "kms:DescribeKey",
      ],
      Resource: "*",
      Condition: {
        StringEquals: { "kms:CallerAccount": ACCOUNT, "kms:ViaService": "ec2.us-west-2.amazonaws.com" },
      },
    },
  ],
};

export const crossAccountPolicy = {
  Version: "2012-10-17",
  Statement: [
    rootStatement,
    {
      Sid: "Allow an external account to use this KMS key",
      Effect: "Allow",
      Principal: { AWS: [`arn:aws:iam::${OTHER_ACCOUNT}:root`] },
      Action: ["kms:Encrypt", "kms:Decrypt", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:DescribeKey"],
      Resource: "*",
    },
  ],
};
