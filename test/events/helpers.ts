import { type EventBase, type NormalizedEvent, normalizeRecord } from "../../src/events/index.js";
import type { RawRecord } from "../../src/ingest/types.js";
import type { Issue } from "../../src/issue.js";

/** Shared shapes for the events tests: a realistic record envelope (AWS's documented examples) and its base. */
export const POSITION = {
  file: "AWSLogs/111122223333/CloudTrail/us-west-2/2024/03/02/trail.json.gz",
  index: 7,
};
export const ACCOUNT = "111122223333";
export const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
export const KEY_ARN = `arn:aws:kms:us-west-2:${ACCOUNT}:key/${KEY_ID}`;
export const KEY_RESOURCES = [{ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: KEY_ARN }];

const ALICE = {
  type: "IAMUser",
  principalId: "AIDACKCEVSQ6C2EXAMPLE",
  arn: `arn:aws:iam::${ACCOUNT}:user/Alice`,
  accountId: ACCOUNT,
  accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  userName: "Alice",
};

export function kmsRecord(fields: RawRecord): RawRecord {
  return {
    eventVersion: "1.08",
    userIdentity: ALICE,
    eventTime: "2024-03-02T10:00:00Z",
    eventSource: "kms.amazonaws.com",
    awsRegion: "us-west-2",
    sourceIPAddress: "192.0.2.0",
    userAgent: "aws-cli/2.15.0",
    requestID: "8f3ac0a1-0000-4000-8000-000000000001",
    eventID: "b2b7e5f4-0000-4000-8000-000000000002",
    readOnly: false,
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: ACCOUNT,
    eventCategory: "Management",
    ...fields,
  };
}

export const BASE: EventBase = {
  eventId: "b2b7e5f4-0000-4000-8000-000000000002",
  sharedEventId: null,
  requestId: "8f3ac0a1-0000-4000-8000-000000000001",
  time: Date.UTC(2024, 2, 2, 10, 0, 0),
  account: ACCOUNT,
  region: "us-west-2",
  actor: {
    id: `arn:aws:iam::${ACCOUNT}:user/Alice`,
    kind: "user",
    account: ACCOUNT,
    identityType: "IAMUser",
    arn: `arn:aws:iam::${ACCOUNT}:user/Alice`,
    principalId: "AIDACKCEVSQ6C2EXAMPLE",
    sessionName: null,
    accessKeyId: "AKIAIOSFODNN7EXAMPLE",
  },
  invokedBy: null,
  sourceIp: "192.0.2.0",
  userAgent: "aws-cli/2.15.0",
  error: null,
  eventType: "AwsApiCall",
  position: POSITION,
};

export function normalized(record: RawRecord): NormalizedEvent {
  const result = normalizeRecord(record, POSITION);
  if (!result.ok) throw new Error(`expected an event, got ${result.issue.code}: ${result.issue.reason}`);
  if (result.event === null) throw new Error("expected an event, got a record that is not kept");
  return result.event;
}

export function issueOf(record: RawRecord): Issue {
  const result = normalizeRecord(record, POSITION);
  if (result.ok)
    throw new Error(`expected an issue, got ${result.event === null ? "null" : result.event.name}`);
  return result.issue;
}
