import { Readable } from "node:stream";
import type { RawRecord } from "../../src/ingest/types.js";
import { CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { KEY_ARN, KEY_ID, KEY_RESOURCES, kmsRecord } from "../events/helpers.js";

/**
 * Small trails on one key (KEY_ARN) for tests that replay records and ask questions: its CreateKey, grants,
 * and calls by assumed-role sessions, on top of the events tests' record envelope (kmsRecord, by user Alice).
 */

/** CreateKey of KEY_ARN, with `policy` when given (else KMS's default policy applies). */
export function createKeyRecord(eventTime: string, policy?: unknown): RawRecord {
  return kmsRecord({
    eventName: "CreateKey",
    eventTime,
    eventID: "create-key",
    requestParameters: {
      keySpec: "SYMMETRIC_DEFAULT",
      keyUsage: "ENCRYPT_DECRYPT",
      ...(policy === undefined ? {} : { policy: JSON.stringify(policy) }),
    },
    responseElements: { keyMetadata: { keyId: KEY_ID, arn: KEY_ARN, keyState: "Enabled" } },
    resources: KEY_RESOURCES,
  });
}

/** CreateGrant on KEY_ARN to `grantee` as the request names it (for Decrypt unless told); eventID `create-<grantId>`. */
export function createGrantRecord(
  eventTime: string,
  grantId: string,
  grantee: string,
  operations: string[] = ["Decrypt"],
): RawRecord {
  return kmsRecord({
    eventName: "CreateGrant",
    eventTime,
    eventID: `create-${grantId}`,
    requestParameters: { keyId: KEY_ARN, granteePrincipal: grantee, operations },
    responseElements: { grantId, keyId: KEY_ARN },
    resources: KEY_RESOURCES,
  });
}

/** userIdentity of session `session` of role `role` in `account`, with the unique id that links it to the role. */
export function assumedRoleIdentity(account: string, role: string, session: string, uniqueId: string) {
  const roleArn = `arn:aws:iam::${account}:role/${role}`;
  return {
    type: "AssumedRole",
    principalId: `${uniqueId}:${session}`,
    arn: `arn:aws:sts::${account}:assumed-role/${role}/${session}`,
    accountId: account,
    sessionContext: {
      sessionIssuer: { type: "Role", principalId: uniqueId, arn: roleArn, accountId: account },
    },
  };
}

/** A successful Decrypt of KEY_ARN by `identity`. */
export function decryptRecord(identity: object, eventTime: string, eventID: string): RawRecord {
  return kmsRecord({
    eventName: "Decrypt",
    eventTime,
    eventID,
    userIdentity: identity,
    readOnly: true,
    requestParameters: { keyId: KEY_ARN, encryptionAlgorithm: "SYMMETRIC_DEFAULT" },
    resources: KEY_RESOURCES,
  });
}

/** Replays records from memory, as `keytrail replay -` reads them from standard input. */
export async function replayRecords(records: RawRecord[]): Promise<CaseModel> {
  const stdin = Readable.from([JSON.stringify({ Records: records })]);
  return new CaseModel(await replayInputs(["-"], { stdin, threads: 1 }));
}
