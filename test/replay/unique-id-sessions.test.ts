import { describe, expect, it } from "vitest";
import type { RawRecord } from "../../src/ingest/types.js";
import { keyAt, type UsageCall, usage, whoCanAt } from "../../src/query/index.js";
import { KEY_ARN } from "../events/helpers.js";
import {
  assumedRoleIdentity,
  createGrantRecord,
  createKeyRecord,
  decryptRecord,
  replayRecords,
} from "../support/trail-records.js";

/**
 * A grantee CloudTrail logs as a unique id with a session (`AROA…:session-name`) names one session of the
 * role, as a session ARN grantee does: once a record links the id to its role, the grant serves that session
 * only. Held to what `key --at`, who-can and usage show.
 */

const OUTSIDER = "999988887777";
const UNIQUE_ID = "AROAEXAMPLEXSESS0001";
const SESSION = `arn:aws:sts::${OUTSIDER}:assumed-role/XSess/only-this`;
const GRANT_ID = "grant-for-one-session";
const sessionOf = (name: string) => assumedRoleIdentity(OUTSIDER, "XSess", name, UNIQUE_ID);

const RECORDS: RawRecord[] = [
  createKeyRecord("2024-03-02T09:00:00Z"),
  createGrantRecord("2024-03-02T09:10:00Z", GRANT_ID, `${UNIQUE_ID}:only-this`),
  // The Decrypts link the unique id to role XSess (principalId, sessionIssuer).
  decryptRecord(sessionOf("only-this"), "2024-03-02T10:00:00Z", "decrypt-by-grantee"),
  // The same role, another session: the grant is not its route.
  decryptRecord(sessionOf("other-session"), "2024-03-02T10:01:00Z", "decrypt-by-other"),
];

const model = replayRecords(RECORDS);

const attributionOf = (calls: UsageCall[], eventId: string) =>
  calls.find((call) => call.eventId === eventId)?.attribution;

describe("a grantee logged as a unique id with a session (AROA…:session-name)", () => {
  it("key --at shows the grantee as that session's ARN, not the whole role", async () => {
    const report = keyAt(await model, KEY_ARN, Date.parse("2024-03-02T10:30:00Z"));
    expect(report.grants).toEqual([
      expect.objectContaining({ grantId: GRANT_ID, grantee: SESSION, operations: ["Decrypt"] }),
    ]);
    expect((await model).data.principals).toContainEqual(
      expect.objectContaining({ id: SESSION, kind: "role", account: OUTSIDER }),
    );
  });

  it("who-can lists the session, not the role, as the grant's principal", async () => {
    const report = whoCanAt(await model, KEY_ARN, Date.parse("2024-03-02T10:30:00Z"), {
      operation: "Decrypt",
    });
    const granted = report.principals.filter((entry) => entry.via.some((via) => via.grantId === GRANT_ID));
    expect(granted.map((entry) => [entry.principal, entry.kind])).toEqual([[SESSION, "role"]]);
  });

  it("usage credits the grant with that session's call only; the role's other session has no route", async () => {
    const calls = usage(await model, { calls: true }).detail ?? [];
    expect(attributionOf(calls, "decrypt-by-grantee")).toMatchObject({
      basis: "grant",
      conditional: false,
      candidates: [{ type: "grant", grantId: GRANT_ID }],
    });
    expect(attributionOf(calls, "decrypt-by-other")).toMatchObject({
      basis: "none",
      noneReason: "no-route",
      candidates: [],
    });
  });
});
