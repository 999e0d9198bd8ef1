import { describe, expect, it } from "vitest";
import { type ReachReport, reach, usage } from "../../src/query/index.js";
import { KEY_ARN } from "../events/helpers.js";
import {
  assumedRoleIdentity,
  createKeyRecord,
  decryptRecord,
  replayRecords,
} from "../support/trail-records.js";
import { rootPolicy } from "./findings/case-builder.js";

/**
 * Routes that reach part of a role asked about as a whole, by its sessions: an Allow whose NotPrincipal lists
 * one session reaches every other session of the role, and a statement naming two sessions reaches both. reach
 * keeps each as a partial route whose reason, and caveat, names every session concerned.
 */

const OUTSIDER = "999988887777";
const APP = `arn:aws:iam::${OUTSIDER}:role/App`;
const WORKER = `arn:aws:iam::${OUTSIDER}:role/Worker`;
const sessionArn = (role: string, session: string) =>
  `arn:aws:sts::${OUTSIDER}:assumed-role/${role}/${session}`;
const by = (role: string, session: string) =>
  assumedRoleIdentity(OUTSIDER, role, session, `AROAEXAMPLE${role.toUpperCase()}01`);

const model = replayRecords([
  createKeyRecord(
    "2024-03-02T09:00:00Z",
    rootPolicy(
      {
        Sid: "AllButEvil",
        Effect: "Allow",
        NotPrincipal: { AWS: [sessionArn("App", "evil"), `arn:aws:iam::${OUTSIDER}:root`] },
        Action: "kms:Decrypt",
        Resource: "*",
      },
      {
        Sid: "TwoWorkers",
        Effect: "Allow",
        Principal: { AWS: [sessionArn("Worker", "w1"), sessionArn("Worker", "w2")] },
        Action: "kms:Encrypt",
        Resource: "*",
      },
    ),
  ),
  decryptRecord(by("App", "good"), "2024-03-02T10:00:00Z", "app-good"),
  decryptRecord(by("App", "evil"), "2024-03-02T10:01:00Z", "app-evil"),
]);

const T = { at: Date.parse("2024-03-02T09:30:00Z") };
const keyOf = (report: ReachReport) => report.keys.find((entry) => entry.key.arn === KEY_ARN);

describe("reach of a role that a NotPrincipal Allow reaches but for one session", () => {
  const EXEMPT = `NotPrincipal exempts only session evil of ${APP}`;

  it("keeps the route as partial, naming the session left out, in the route and the caveats", async () => {
    const report = reach(await model, APP, T);
    expect(keyOf(report)).toMatchObject({
      operations: ["Decrypt"],
      conditional: true,
      via: [expect.objectContaining({ sid: "AllButEvil", partial: EXEMPT })],
    });
    expect(report.caveats).toContain(
      `${KEY_ARN}: statement #1 reaches only part of the principal, ${EXEMPT}`,
    );
  });

  it("agrees with the sessions asked one by one, and with usage", async () => {
    const loaded = await model;
    expect(keyOf(reach(loaded, sessionArn("App", "good"), T))).toMatchObject({
      operations: ["Decrypt"],
      conditional: false,
    });
    expect(keyOf(reach(loaded, sessionArn("App", "evil"), T))).toBeUndefined();
    const calls = usage(loaded, { calls: true }).detail ?? [];
    expect(calls.find((c) => c.eventId === "app-good")?.attribution).toMatchObject({ basis: "keyPolicy" });
  });
});

describe("reach of a role a statement names two sessions of", () => {
  it("names both sessions in the route's reason and in the caveat", async () => {
    const report = reach(await model, WORKER, T);
    const reason = `it names sessions w1, w2 of ${WORKER} only (${sessionArn("Worker", "w1")}, ${sessionArn("Worker", "w2")})`;
    const entry = keyOf(report);
    // Every session of Worker may Decrypt (the NotPrincipal Allow exempts none of them); two may Encrypt.
    expect(entry?.operations).toEqual(["Decrypt", "Encrypt"]);
    expect(entry?.via.find((via) => via.sid === "TwoWorkers")).toMatchObject({
      operations: ["Encrypt"],
      partial: reason,
    });
    expect(report.caveats).toContain(
      `${KEY_ARN}: statement #2 reaches only part of the principal, ${reason}`,
    );
  });
});
