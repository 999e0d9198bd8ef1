import { describe, expect, it } from "vitest";
import { type ReachReport, reach, type UsageCall, usage, whoCanAt } from "../../src/query/index.js";
import { KEY_ARN } from "../events/helpers.js";
import {
  assumedRoleIdentity,
  createGrantRecord,
  createKeyRecord,
  decryptRecord,
  replayRecords,
} from "../support/trail-records.js";

/**
 * A key policy Principal, or a grantee, naming one assumed-role session (`arn:aws:sts::A:assumed-role/R/s`)
 * covers that session only, not role R. Held to what who-can, reach and usage answer on a replayed trail.
 */

const ACCOUNT = "111122223333";
const OUTSIDER = "999988887777";
const roleArn = (name: string) => `arn:aws:iam::${OUTSIDER}:role/${name}`;
const sessionArn = (role: string, session: string) =>
  `arn:aws:sts::${OUTSIDER}:assumed-role/${role}/${session}`;
const by = (role: string, session: string) =>
  assumedRoleIdentity(OUTSIDER, role, session, `AROAEXAMPLE${role.toUpperCase()}01`);

const statement = (Sid: string, Effect: "Allow" | "Deny", principal: string) => ({
  Sid,
  Effect,
  Principal: { AWS: principal },
  Action: "kms:Decrypt",
  Resource: "*",
});

const POLICY = {
  Version: "2012-10-17",
  Statement: [
    { ...statement("Root", "Allow", `arn:aws:iam::${ACCOUNT}:root`), Action: "kms:*" },
    statement("OneSession", "Allow", sessionArn("XSess", "only-this")),
    statement("App", "Allow", roleArn("App")),
    statement("NotWhileDebugging", "Deny", sessionArn("App", "debug")),
  ],
};

const model = replayRecords([
  createKeyRecord("2024-03-02T09:00:00Z", POLICY),
  createGrantRecord("2024-03-02T09:05:00Z", "g-partner-batch", sessionArn("Partner", "batch")),
  createGrantRecord("2024-03-02T09:06:00Z", "g-auditor", roleArn("Auditor")),
  decryptRecord(by("XSess", "only-this"), "2024-03-02T10:00:00Z", "xsess-only-this"),
  decryptRecord(by("XSess", "other-session"), "2024-03-02T10:01:00Z", "xsess-other"),
  decryptRecord(by("App", "worker"), "2024-03-02T10:02:00Z", "app-worker"),
  decryptRecord(by("App", "debug"), "2024-03-02T10:03:00Z", "app-debug"),
]);

const T = Date.parse("2024-03-02T09:30:00Z");
const attributionOf = (calls: UsageCall[], eventId: string) =>
  calls.find((call) => call.eventId === eventId)?.attribution;
const viaOf = (report: ReachReport) => report.keys.find((entry) => entry.key.arn === KEY_ARN);

describe("a key policy statement naming one assumed-role session", () => {
  it("who-can lists the session, not its role; a Deny on one session leaves the role, conditional", async () => {
    const report = whoCanAt(await model, KEY_ARN, T, { operation: "Decrypt" });
    const lines = new Map(report.principals.map((entry) => [entry.principal, entry]));
    expect(lines.get(sessionArn("XSess", "only-this"))).toMatchObject({
      kind: "role",
      conditional: false,
      via: [expect.objectContaining({ type: "keyPolicy", sid: "OneSession" })],
    });
    expect(lines.has(roleArn("XSess"))).toBe(false);
    // Read as the role, the Deny used to remove App altogether.
    expect(report.removed).toEqual([]);
    expect(lines.get(roleArn("App"))).toMatchObject({
      conditional: true,
      denies: [
        expect.objectContaining({
          sid: "NotWhileDebugging",
          reason: expect.stringContaining(`names session debug of ${roleArn("App")} only`),
        }),
      ],
    });
  });

  it("usage credits the statement with that session's calls only, and the Deny refuses only its session", async () => {
    const calls = usage(await model, { calls: true }).detail ?? [];
    expect(attributionOf(calls, "xsess-only-this")).toMatchObject({
      basis: "keyPolicy",
      conditional: false,
      candidates: [expect.objectContaining({ sid: "OneSession" })],
    });
    expect(attributionOf(calls, "xsess-other")).toMatchObject({ basis: "none", noneReason: "no-route" });
    expect(attributionOf(calls, "app-worker")).toMatchObject({
      basis: "keyPolicy",
      conditional: false,
      candidates: [expect.objectContaining({ sid: "App" })],
    });
    expect(attributionOf(calls, "app-debug")).toMatchObject({
      basis: "none",
      noneReason: "denied-by-policy",
    });
  });

  it("reach of the role shows the statement as partial, naming the session", async () => {
    const report = reach(await model, roleArn("XSess"), { at: T });
    expect(viaOf(report)).toMatchObject({
      operations: ["Decrypt"],
      conditional: true,
      via: [
        expect.objectContaining({
          type: "keyPolicy",
          sid: "OneSession",
          partial: expect.stringContaining(`names session only-this of ${roleArn("XSess")} only`),
        }),
      ],
    });
    expect(report.caveats.join("\n")).toMatch(/statement #1 reaches only part of the principal.*only-this/);
  });

  it("reach of the session itself shows it whole; another session of the role reaches nothing", async () => {
    const named = reach(await model, sessionArn("XSess", "only-this"), { at: T });
    expect(named).toMatchObject({ principal: roleArn("XSess"), kind: "role", session: "only-this" });
    expect(viaOf(named)).toMatchObject({
      conditional: false,
      via: [expect.objectContaining({ sid: "OneSession" })],
    });
    expect(viaOf(named)?.via[0]?.partial).toBeUndefined();
    expect(reach(await model, sessionArn("XSess", "other-session"), { at: T }).keys).toEqual([]);
  });

  it("reach of a session the Deny names drops the key; the role's other sessions keep it outright", async () => {
    expect(reach(await model, sessionArn("App", "debug"), { at: T }).keys).toEqual([]);
    expect(viaOf(reach(await model, sessionArn("App", "worker"), { at: T }))).toMatchObject({
      conditional: false,
    });
    expect(viaOf(reach(await model, roleArn("App"), { at: T }))).toMatchObject({ conditional: true });
  });
});

describe("reach matches grants by coverage, as usage and who-can do", () => {
  it("reach of a role shows a grant to one of its sessions as partial, naming the session", async () => {
    const report = reach(await model, roleArn("Partner"), { at: T });
    expect(viaOf(report)).toMatchObject({
      operations: ["Decrypt"],
      conditional: true,
      via: [
        expect.objectContaining({
          type: "grant",
          grantId: "g-partner-batch",
          partial: expect.stringContaining(`names session batch of ${roleArn("Partner")} only`),
        }),
      ],
    });
    expect(report.caveats.join("\n")).toMatch(/grant g-partner-batch reaches only part of the principal/);
  });

  it("reach of that session shows the grant whole; reach of a session shows a grant to its role", async () => {
    const session = viaOf(reach(await model, sessionArn("Partner", "batch"), { at: T }));
    expect(session).toMatchObject({
      conditional: false,
      via: [expect.objectContaining({ grantId: "g-partner-batch" })],
    });
    expect(session?.via[0]?.partial).toBeUndefined();
    expect(reach(await model, sessionArn("Partner", "nightly"), { at: T }).keys).toEqual([]);
    expect(viaOf(reach(await model, sessionArn("Auditor", "q2"), { at: T }))).toMatchObject({
      conditional: false,
      via: [expect.objectContaining({ type: "grant", grantId: "g-auditor" })],
    });
  });
});
