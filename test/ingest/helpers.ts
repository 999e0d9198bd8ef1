import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach } from "vitest";
import {
  type IngestOptions,
  type IngestSummary,
  ingest,
  type RawRecord,
  type ReadSourceOptions,
  readSource,
} from "../../src/ingest/index.js";
import type { Issue, SourcePosition } from "../../src/issue.js";

/** A non-KMS record (noise a replay drops), in account 111122223333, us-east-1, signed by a user of it. */
export function s3Record(id: string, eventTime: unknown): RawRecord {
  return {
    eventVersion: "1.08",
    eventTime,
    eventSource: "s3.amazonaws.com",
    eventName: "GetObject",
    awsRegion: "us-east-1",
    recipientAccountId: "111122223333",
    eventID: id,
    userIdentity: {
      type: "IAMUser",
      arn: "arn:aws:iam::111122223333:user/reader",
      accountId: "111122223333",
    },
  };
}

/** A realistic KMS record (shape of a real Decrypt/CreateGrant call, placeholder identities). */
export function kmsRecord(n: number, eventName = n % 2 === 0 ? "Decrypt" : "CreateGrant"): RawRecord {
  const keyArn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
  return {
    eventVersion: "1.08",
    userIdentity: {
      type: "AssumedRole",
      principalId: "AROAEXAMPLEID:session-1",
      arn: "arn:aws:sts::111122223333:assumed-role/App/session-1",
      accountId: "111122223333",
      sessionContext: { attributes: { creationDate: "2024-03-02T09:00:00Z", mfaAuthenticated: "false" } },
    },
    eventTime: `2024-03-02T10:${String(n % 60).padStart(2, "0")}:00Z`,
    eventSource: "kms.amazonaws.com",
    eventName,
    awsRegion: "us-east-1",
    sourceIPAddress: "192.0.2.10",
    userAgent: 'aws-cli/2.15.0 md/"quoted" [brackets] {braces} \\ backslash',
    requestParameters:
      eventName === "CreateGrant"
        ? { keyId: keyArn, operations: ["Decrypt", "RetireGrant"], granteePrincipal: "AROAEXAMPLEID" }
        : {
            encryptionContext: { "aws:s3:arn": "arn:aws:s3:::bucket/]}{[" },
            encryptionAlgorithm: "SYMMETRIC_DEFAULT",
          },
    responseElements: eventName === "CreateGrant" ? { grantId: `grant-${n}` } : null,
    requestID: `req-${n}`,
    eventID: `00000000-0000-4000-8000-${String(n).padStart(12, "0")}`,
    readOnly: eventName !== "CreateGrant",
    resources: [{ accountId: "111122223333", type: "AWS::KMS::Key", ARN: keyArn }],
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "111122223333",
  };
}

export function kmsRecords(count: number, from = 0): RawRecord[] {
  return Array.from({ length: count }, (_, i) => kmsRecord(from + i));
}

export interface Collected {
  records: RawRecord[];
  positions: SourcePosition[];
  issues: Issue[];
}

function collector(): Collected & { sink: Parameters<typeof ingest>[1] } {
  const collected: Collected = { records: [], positions: [], issues: [] };
  return {
    ...collected,
    sink: {
      record(record, position) {
        collected.records.push(record);
        collected.positions.push(position);
      },
      issue(issue) {
        collected.issues.push(issue);
      },
    },
  };
}

export async function ingestAll(
  paths: string[],
  options?: IngestOptions,
): Promise<Collected & { summary: IngestSummary }> {
  const { sink, ...collected } = collector();
  const summary = await ingest(paths, sink, options);
  return { ...collected, summary };
}

/** Feeds bytes to the per-file reader in chunks of `size` bytes. */
export async function readChunked(
  bytes: Uint8Array,
  size: number,
  file = "mem.json",
  options: ReadSourceOptions = {},
) {
  const { sink, ...collected } = collector();
  async function* chunks(): AsyncGenerator<Uint8Array> {
    for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
  }
  const summary = await readSource(chunks(), file, sink, options);
  return { ...collected, summary };
}

export function eventIds(records: readonly (RawRecord | undefined)[]): unknown[] {
  return records.map((record) => record?.eventID);
}

export function codes(issues: Issue[]): string[] {
  return issues.map((issue) => issue.code);
}

/** A fresh temp directory per test, removed afterwards. */
export function useTempDir(): () => Promise<string> {
  const dirs: string[] = [];
  afterEach(async () => {
    await Promise.all(dirs.splice(0).map((dir) => rm(dir, { recursive: true, force: true })));
  });
  return async () => {
    const dir = await mkdtemp(join(tmpdir(), "keytrail-ingest-"));
    dirs.push(dir);
    return dir;
  };
}
