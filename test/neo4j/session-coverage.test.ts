import { beforeAll, describe, expect, it } from "vitest";
import type { RawRecord } from "../../src/ingest/types.js";
import { iso, reach } from "../../src/query/index.js";
import { ACCOUNT, KEY_ARN } from "../events/helpers.js";
import {
  assumedRoleIdentity,
  createGrantRecord,
  createKeyRecord,
  decryptRecord,
  replayRecords,
} from "../support/trail-records.js";
import { askedPrincipals, localReach, localWhoCan, neo4jReach, neo4jWhoCan } from "./answer-parity.js";
import { fromData, type LoadedCase, push } from "./graph-fixtures.js";
import { clearDatabase, neo4jUri } from "./helpers.js";

/**
 * The coverage rule of reach and who-can (src/policy/principal-coverage.ts) in Cypher, on the cases no fixture
 * trail holds: a statement naming a role and one of its sessions, several sessions of one role, a NotPrincipal
 * Allow exempting one session, Denies on a session and on a role against grants to sessions, a grant to an
 * account asked through one of its users, a session whose role the graph does not hold, an unresolved unique id,
 * and principals the graph does not hold at all. Neo4j must answer as the local engine.
 */
const PARTNER = "444455556666";
const OUTSIDER = "999988887777";
const role = (account: string, name: string) => `arn:aws:iam::${account}:role/${name}`;
const session = (account: string, name: string, id: string) =>
  `arn:aws:sts::${account}:assumed-role/${name}/${id}`;
const by = (account: string, name: string, id: string) =>
  assumedRoleIdentity(account, name, id, `AROAEXAMPLE${name.toUpperCase()}01`);

const allow = (Sid: string, principals: string[], Action: string) => ({
  Sid,
  Effect: "Allow",
  Principal: { AWS: principals },
  Action,
  Resource: "*",
});

const POLICY = {
  Version: "2012-10-17",
  Statement: [
    allow("Admin", [`arn:aws:iam::${ACCOUNT}:user/Alice`], "kms:*"),
    allow("RoleAndOneSession", [role(ACCOUNT, "App"), session(ACCOUNT, "App", "s1")], "kms:Decrypt"),
    allow(
      "OnlySessions",
      [session(ACCOUNT, "Worker", "w1"), session(ACCOUNT, "Worker", "w2")],
      "kms:GenerateDataKey",
    ),
    {
      Sid: "AllButOneSession",
      Effect: "Allow",
      NotPrincipal: { AWS: session(ACCOUNT, "Ops", "debug") },
      Action: "kms:DescribeKey",
      Resource: "*",
    },
    { ...allow("DenyPartnerBatch", [session(OUTSIDER, "Partner", "batch")], "kms:Decrypt"), Effect: "Deny" },
    { ...allow("DenyWorkerEncrypt", [role(ACCOUNT, "Worker")], "kms:Encrypt"), Effect: "Deny" },
  ],
};

const EXT_USER = {
  type: "IAMUser",
  principalId: "AIDAEXAMPLEEXTUSER01",
  arn: `arn:aws:iam::${PARTNER}:user/ext`,
  accountId: PARTNER,
  userName: "ext",
};

const RECORDS: RawRecord[] = [
  createKeyRecord("2024-03-02T09:00:00Z", POLICY),
  createGrantRecord("2024-03-02T09:01:00Z", "g-partner-batch", session(OUTSIDER, "Partner", "batch"), [
    "Decrypt",
    "Encrypt",
  ]),
  createGrantRecord("2024-03-02T09:02:00Z", "g-partner-account", `arn:aws:iam::${PARTNER}:root`, ["Encrypt"]),
  createGrantRecord("2024-03-02T09:03:00Z", "g-ghost", session(OUTSIDER, "Ghost", "s"), ["Decrypt"]),
  createGrantRecord("2024-03-02T09:04:00Z", "g-worker-w3", session(ACCOUNT, "Worker", "w3"), [
    "Encrypt",
    "Decrypt",
  ]),
  createGrantRecord("2024-03-02T09:05:00Z", "g-unresolved", "AROAUNLINKEDEXAMPLE1:x", ["Decrypt"]),
  decryptRecord(by(ACCOUNT, "App", "s2"), "2024-03-02T10:00:00Z", "app-s2"),
  decryptRecord(by(ACCOUNT, "Worker", "w9"), "2024-03-02T10:01:00Z", "worker-w9"),
  decryptRecord(by(ACCOUNT, "Ops", "other"), "2024-03-02T10:02:00Z", "ops-other"),
  decryptRecord(by(OUTSIDER, "Partner", "other"), "2024-03-02T10:03:00Z", "partner-other"),
  decryptRecord(EXT_USER, "2024-03-02T10:04:00Z", "ext-user"),
];

/** Asked besides the graph's principals: sessions and principals it does not hold as nodes. */
const EXTRA = [
  session(ACCOUNT, "App", "s1"),
  session(ACCOUNT, "Worker", "w1"),
  session(ACCOUNT, "Worker", "w3"),
  session(ACCOUNT, "Ops", "debug"),
  session(OUTSIDER, "Partner", "batch"),
  role(OUTSIDER, "Ghost"),
  session(OUTSIDER, "Ghost", "other"),
  role(OUTSIDER, "Unseen"),
];

const T = Date.parse("2024-03-02T09:30:00Z");

describe.skipIf(!neo4jUri())("session and account coverage in queries/ on Neo4j", () => {
  let loaded: LoadedCase;
  beforeAll(async () => {
    await clearDatabase();
    loaded = fromData((await replayRecords(RECORDS)).data);
    await push(loaded.rows);
  });

  it("who-can lists the same routes for every operation the trail names", async () => {
    for (const operation of ["Decrypt", "Encrypt", "GenerateDataKey", "DescribeKey", "CreateGrant"]) {
      const where = `${operation} @ ${iso(T)}`;
      expect(await neo4jWhoCan(KEY_ARN, operation, T), where).toEqual(
        localWhoCan(loaded, KEY_ARN, operation, T),
      );
    }
  });

  it("reach gives every principal and session the same operations and partial sessions", async () => {
    const principals = [...new Set([...askedPrincipals(loaded), ...EXTRA])];
    expect(principals.length).toBeGreaterThan(15);
    for (const principal of principals) {
      expect(await neo4jReach(principal, T), principal).toEqual(localReach(loaded, principal, T));
    }
  });

  it("holds the cases it is about (the local answers, as reach lists them)", () => {
    const operations = (principal: string) => localReach(loaded, principal, T)[0]?.operations ?? [];
    const sessions = (principal: string) => localReach(loaded, principal, T)[0]?.sessions ?? [];
    // A statement naming App and one of its sessions reaches App whole: no partial session.
    expect(sessions(role(ACCOUNT, "App"))).toEqual([]);
    expect(sessions(role(ACCOUNT, "Worker"))).toEqual([
      session(ACCOUNT, "Worker", "w1"),
      session(ACCOUNT, "Worker", "w2"),
      session(ACCOUNT, "Worker", "w3"),
    ]);
    // The Deny on role Worker takes Encrypt from its session's grant; the Deny on Partner/batch its Decrypt.
    expect(operations(session(ACCOUNT, "Worker", "w3"))).toEqual(["Decrypt", "DescribeKey"]);
    expect(operations(session(OUTSIDER, "Partner", "batch"))).toEqual(["DescribeKey", "Encrypt"]);
    // NotPrincipal exempts Ops/debug, and so part of Ops and of its account. Ops keeps every other session's
    // route, partial; reach.cypher leaves it out, a known difference the comparison skips (answer-parity.ts).
    expect(operations(session(ACCOUNT, "Ops", "debug"))).toEqual([]);
    expect(reach(loaded.model, role(ACCOUNT, "Ops"), { at: T }).keys).toMatchObject([
      {
        operations: ["DescribeKey"],
        via: [
          expect.objectContaining({ sid: "AllButOneSession", partial: expect.stringContaining("debug") }),
        ],
      },
    ]);
    expect(operations(role(ACCOUNT, "Ops"))).toEqual([]);
    expect(operations(`arn:aws:iam::${PARTNER}:user/ext`)).toEqual(["DescribeKey", "Encrypt"]);
    expect(sessions(role(OUTSIDER, "Ghost"))).toEqual([session(OUTSIDER, "Ghost", "s")]);
  });
});
