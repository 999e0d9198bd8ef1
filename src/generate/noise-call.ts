import type { Caller } from "./identities.js";
import { kmsDate } from "./kms-calls.js";
import type { Prng } from "./prng.js";
import type { CallSpec } from "./trail-record.js";
import type { AccountWorld } from "./world.js";

type Noise = "assume-role" | "describe-instances" | "get-object" | "put-object" | "get-role" | "get-secret";

const NOISE: Noise[] = [
  "assume-role",
  "describe-instances",
  "get-object",
  "put-object",
  "get-role",
  "get-secret",
];
const NOISE_WEIGHTS = [15, 25, 30, 12, 10, 8];

function bucketName(account: AccountWorld): string {
  return `data-${account.id}`;
}

/**
 * One non-KMS record of the kinds that fill real trails: STS AssumeRole (which keytrail keeps, to link
 * sessions to roles), EC2 and IAM reads, S3 object data events and Secrets Manager reads.
 */
export function noiseAt(account: AccountWorld, region: string, time: number, prng: Prng): CallSpec {
  const kind = prng.weighted(NOISE, NOISE_WEIGHTS);
  const role = prng.pick(account.appRoles);
  const base = { time, region, recipient: account.id };
  switch (kind) {
    case "assume-role": {
      const session = `i-0${prng.hex(16)}`;
      const caller: Caller = { type: "AWSService", service: "ec2.amazonaws.com" };
      const arn = `arn:aws:iam::${account.id}:role/${role.role}`;
      return {
        ...base,
        source: "sts.amazonaws.com",
        name: "AssumeRole",
        caller,
        request: { roleArn: arn, roleSessionName: session },
        response: {
          credentials: {
            accessKeyId: `ASIA${prng.upperAlnum(16)}`,
            sessionToken: prng.base64(64),
            expiration: kmsDate(time + 6 * 3_600_000),
          },
          assumedRoleUser: {
            assumedRoleId: `${role.roleId}:${session}`,
            arn: `arn:aws:sts::${account.id}:assumed-role/${role.role}/${session}`,
          },
        },
        resources: [{ accountId: account.id, type: "AWS::IAM::Role", ARN: arn }],
        readOnly: true,
      };
    }
    case "describe-instances":
      return {
        ...base,
        source: "ec2.amazonaws.com",
        name: "DescribeInstances",
        caller: role,
        request: {
          instancesSet: {},
          filterSet: { items: [{ name: "tag:app", valueSet: { items: [{ value: role.role }] } }] },
        },
        readOnly: true,
      };
    case "get-object":
    case "put-object": {
      const objectKey = `${role.role.toLowerCase()}/${prng.hex(8)}/part-${prng.int(10_000)}.parquet`;
      const bucket = bucketName(account);
      return {
        ...base,
        source: "s3.amazonaws.com",
        name: kind === "get-object" ? "GetObject" : "PutObject",
        caller: role,
        request: { bucketName: bucket, Host: `${bucket}.s3.${region}.amazonaws.com`, key: objectKey },
        additional: {
          SignatureVersion: "SigV4",
          CipherSuite: "TLS_AES_128_GCM_SHA256",
          bytesTransferredIn: kind === "put-object" ? prng.int(5_000_000) : 0,
          AuthenticationMethod: "AuthHeader",
          "x-amz-id-2": prng.base64(76),
          bytesTransferredOut: kind === "get-object" ? prng.int(5_000_000) : 0,
        },
        // CloudTrail names no account on the object, only on the bucket.
        resources: [
          { type: "AWS::S3::Object", ARN: `arn:aws:s3:::${bucket}/${objectKey}` },
          { accountId: account.id, type: "AWS::S3::Bucket", ARN: `arn:aws:s3:::${bucket}` },
        ],
        readOnly: kind === "get-object",
        data: true,
      };
    }
    case "get-role":
      return {
        ...base,
        region: "us-east-1",
        source: "iam.amazonaws.com",
        name: "GetRole",
        caller: prng.pick(account.people),
        request: { roleName: role.role },
        readOnly: true,
      };
    case "get-secret":
      return {
        ...base,
        source: "secretsmanager.amazonaws.com",
        name: "GetSecretValue",
        caller: role,
        request: {
          secretId: `arn:aws:secretsmanager:${region}:${account.id}:secret:${role.role}-db-${prng.alnum(6)}`,
        },
        readOnly: true,
      };
  }
}
