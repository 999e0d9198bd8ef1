import { beforeAll, describe, expect, it } from "vitest";
import { iso } from "../../src/query/index.js";
import { ACCOUNT, KEY_ARN } from "../events/helpers.js";
import {
  allow,
  crossAccountPolicy,
  EXT_ADMIN,
  OUTSIDE_ACTIONS,
  PARTNER,
} from "../query/cross-account-case.js";
import { createKeyRecord, replayRecords } from "../support/trail-records.js";
import { askedPrincipals, localReach, localWhoCan, neo4jReach, neo4jWhoCan, rows } from "./answer-parity.js";
import { fromData, type LoadedCase, push } from "./graph-fixtures.js";
import { clearDatabase, neo4jUri } from "./helpers.js";

/**
 * KMS's cross-account rule (docs/authorization.md, "Cross-account use") in Cypher, on the reviewer's
 * reproduction, which no fixture trail holds: a statement allowing kms:Put*, ScheduleKeyDeletion, DisableKey and
 * Decrypt to a role and an account of other accounts, routes to `*` and NotPrincipal for actions that are not
 * cross-account, and a principal whose account is not known. Neo4j must answer as the local engine.
 */
const POLICY = crossAccountPolicy(
  [EXT_ADMIN, PARTNER, "AROAEXAMPLEDELETED01"],
  OUTSIDE_ACTIONS,
  allow("Anyone", "*", "kms:GetKeyPolicy"),
  {
    Sid: "AllButIntern",
    Effect: "Allow",
    NotPrincipal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Intern` },
    Action: "kms:TagResource",
    Resource: "*",
  },
);

const T = Date.parse("2024-03-02T09:30:00Z");
const OPERATIONS = [
  "ScheduleKeyDeletion",
  "PutKeyPolicy",
  "DisableKey",
  "Encrypt",
  "Decrypt",
  "GetKeyPolicy",
];

describe.skipIf(!neo4jUri())("cross-account use in queries/ on Neo4j", () => {
  let loaded: LoadedCase;
  beforeAll(async () => {
    await clearDatabase();
    loaded = fromData((await replayRecords([createKeyRecord("2024-03-02T09:00:00Z", POLICY)])).data);
    await push(loaded.rows);
  });

  it("who-can lists the same routes, none to another account for what KMS refuses across accounts", async () => {
    for (const operation of [...OPERATIONS, "TagResource"]) {
      const local = localWhoCan(loaded, KEY_ARN, operation, T);
      expect(await neo4jWhoCan(KEY_ARN, operation, T), operation).toEqual(local);
      if (operation !== "Decrypt")
        expect(
          local.routes.some((route) => route.startsWith(EXT_ADMIN)),
          operation,
        ).toBe(false);
    }
  });

  it("who-can marks the routes kept for the key's account only conditional", async () => {
    const found = await rows("who-can", { key: KEY_ARN, operation: "GetKeyPolicy", at: iso(T) });
    const anyone = found.filter((row) => row.principal === "*" && row.via === "keyPolicy");
    expect(anyone.map((row) => row.conditional)).toEqual([true]);
    const unresolved = await rows("who-can", { key: KEY_ARN, operation: "DisableKey", at: iso(T) });
    expect(
      unresolved
        .filter((row) => row.principal === "AROAEXAMPLEDELETED01")
        .map((row) => [row.via, row.action, row.conditional]),
    ).toEqual([
      ["escalation", "PutKeyPolicy", true],
      ["keyPolicy", null, true],
    ]);
  });

  it("reach gives every principal the same operations", async () => {
    const principals = [...new Set([...askedPrincipals(loaded), `arn:aws:iam::${ACCOUNT}:role/Ops`])];
    for (const principal of principals) {
      expect(await neo4jReach(principal, T), principal).toEqual(localReach(loaded, principal, T));
    }
    expect(localReach(loaded, EXT_ADMIN, T)[0]?.operations).toEqual(["Decrypt"]);
    expect(localReach(loaded, PARTNER, T)[0]?.operations).toEqual(["Decrypt"]);
  });
});
