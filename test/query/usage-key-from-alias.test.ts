import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RawRecord } from "../../src/ingest/types.js";
import { CaseModel, graphRows, type KeyColumn, readCaseFile, writeCaseFile } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { reach, timeline, usage } from "../../src/query/index.js";
import { renderBlocks } from "../../src/render/index.js";
import { reachBlocks } from "../../src/render/reach.js";
import { usageBlocks, usageCsv } from "../../src/render/usage.js";
import { ACCOUNT, KEY_ARN, KEY_RESOURCES, kmsRecord } from "../events/helpers.js";
import { assumedRoleIdentity, createKeyRecord, replayRecords } from "../support/trail-records.js";
import { ADMIN, at, buildModel, call, key, keyArn, OUTSIDER } from "./findings/case-builder.js";

/**
 * A call that names an alias and whose record gives no key (a refused call often has no resources[]) is put
 * on the key the alias pointed to at the time, from the trail's alias history: an inference, which the usage
 * report must not pass off as logged.
 */

const ALIAS_ARN = `arn:aws:kms:us-west-2:${ACCOUNT}:alias/app`;

function decryptByAlias(eventTime: string, eventID: string, logged: { resources: boolean; error?: string }) {
  return kmsRecord({
    eventName: "Decrypt",
    eventTime,
    eventID,
    requestParameters: { keyId: "alias/app", encryptionAlgorithm: "SYMMETRIC_DEFAULT" },
    ...(logged.resources ? { resources: KEY_RESOURCES } : {}),
    ...(logged.error ? { errorCode: logged.error, errorMessage: "not authorized" } : {}),
  });
}

const records: RawRecord[] = [
  createKeyRecord("2024-03-01T00:00:00Z"),
  kmsRecord({
    eventName: "CreateAlias",
    eventTime: "2024-03-01T00:01:00Z",
    eventID: "create-alias",
    requestParameters: { aliasName: "alias/app", targetKeyId: KEY_ARN },
    resources: [{ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: ALIAS_ARN }, ...KEY_RESOURCES],
  }),
  // Out of time order, as files may be read: the marks must follow their rows when replay sorts them.
  decryptByAlias("2024-03-02T12:00:00Z", "ok-no-key", { resources: false }),
  decryptByAlias("2024-03-02T11:00:00Z", "refused-no-key", { resources: false, error: "AccessDenied" }),
  decryptByAlias("2024-03-02T10:00:00Z", "logged-key", { resources: true }),
];

const replayed = replayRecords(records);

function callFlags(model: CaseModel): Record<string, boolean> {
  const report = usage(model, { key: KEY_ARN, calls: true });
  return Object.fromEntries((report.detail ?? []).map((call) => [call.eventId, call.keyFromAlias]));
}

describe("usage: keys taken from the alias history", () => {
  it("marks the calls whose key came from the alias history, and only those", async () => {
    const model = await replayed;
    expect(callFlags(model)).toEqual({ "logged-key": false, "refused-no-key": true, "ok-no-key": true });
    const report = usage(model, { key: KEY_ARN });
    expect(report.calls).toMatchObject([
      { key: KEY_ARN, operation: "Decrypt", count: 2, failed: 1, keyFromAlias: 2 },
    ]);
    expect(report.caveats).toContainEqual(
      expect.stringMatching(/^2 call\(s\) named an alias and their records no key: .*alias history/),
    );
  });

  it("says so in the table and in CSV", async () => {
    const model = await replayed;
    const table = renderBlocks(usageBlocks(usage(model, { key: KEY_ARN })), "table");
    expect(table).toContain("(2 via alias, inferred)");
    const calls = usageCsv(usage(model, { key: KEY_ARN, calls: true }));
    expect(calls.columns).toContain("keyFromAlias");
    expect(calls.rows.map((row) => [row.eventId, row.keyFromAlias])).toEqual([
      ["logged-key", false],
      ["refused-no-key", true],
      ["ok-no-key", true],
    ]);
  });

  it("keeps the marks through a case file", async () => {
    const path = join(await mkdtemp(join(tmpdir(), "keytrail-alias-")), "case.gz");
    await writeCaseFile(path, (await replayed).data, ["-"], "0.0.0-test");
    const reloaded = new CaseModel((await readCaseFile(path)).data);
    expect(callFlags(reloaded)).toEqual({ "logged-key": false, "refused-no-key": true, "ok-no-key": true });
  });

  it("gives the timeline a run of its own for such calls, inferred", async () => {
    const runs = timeline(await replayed, { key: KEY_ARN }).entries.filter((entry) => entry.kind === "usage");
    expect(
      runs.map((run) => [
        run.eventIds,
        run.confidence,
        run.summary.endsWith("(key inferred from the alias history)"),
      ]),
    ).toEqual([
      [["logged-key"], "recorded", false],
      [["refused-no-key"], "inferred", true],
      [["ok-no-key"], "inferred", true],
    ]);
  });

  it("counts them in what reach says the caller used, with a caveat", async () => {
    const report = reach(await replayed, `arn:aws:iam::${ACCOUNT}:user/Alice`, {
      from: Date.parse("2024-03-02T00:00:00Z"),
      to: Date.parse("2024-03-03T00:00:00Z"),
    });
    const used = report.keys.find((entry) => entry.key.arn === KEY_ARN)?.used;
    expect(used).toMatchObject([{ operation: "Decrypt", count: 2, denied: 1, keyFromAlias: 2 }]);
    expect(report.caveats).toContainEqual(
      expect.stringMatching(/^2 call\(s\) named an alias and their records no key/),
    );
  });

  it("counts them on the graph's USED relationships", async () => {
    const used = graphRows((await replayed).data).relationships.used.filter((row) => row.end === KEY_ARN);
    // The three calls fall in three UTC hours: one USED each.
    expect(used.map((row) => [row.properties.first, row.properties.keyFromAlias])).toEqual([
      ["2024-03-02T10:00:00.000Z", 0],
      ["2024-03-02T11:00:00.000Z", 1],
      ["2024-03-02T12:00:00.000Z", 1],
    ]);
  });

  it("takes the key from the other account's copy of a call when only that copy names it, in either order", async () => {
    const CALLER = "444455556666";
    const copy = (eventID: string, recipient: string, named: boolean) =>
      kmsRecord({
        eventName: "Decrypt",
        eventTime: "2024-03-02T13:00:00Z",
        eventID,
        sharedEventID: "shared-1",
        recipientAccountId: recipient,
        userIdentity: assumedRoleIdentity(CALLER, "Partner", "batch", "AROAPARTNEREXAMPLE01"),
        requestParameters: { keyId: ALIAS_ARN },
        errorCode: "AccessDenied",
        errorMessage: "not authorized",
        ...(named ? { resources: KEY_RESOURCES } : {}),
      });
    const setUp = records.slice(0, 2);
    for (const copies of [
      [copy("b-caller", CALLER, false), copy("a-owner", ACCOUNT, true)],
      [copy("a-owner", ACCOUNT, true), copy("b-caller", CALLER, false)],
    ]) {
      const model = await replayRecords([...setUp, ...copies]);
      expect(usage(model, { key: KEY_ARN, calls: true }).detail).toMatchObject([
        { eventId: "a-owner", alsoEventIds: ["b-caller"], key: KEY_ARN, keyFromAlias: false },
      ]);
    }
    // Neither copy names it: the alias history does, and the call is marked.
    const model = await replayRecords([
      ...setUp,
      copy("a-owner", ACCOUNT, false),
      copy("b-caller", CALLER, false),
    ]);
    expect(usage(model, { key: KEY_ARN, calls: true }).detail).toMatchObject([
      { eventId: "a-owner", key: KEY_ARN, keyFromAlias: true },
    ]);
  });

  it("says which unexplained calls reach judged on a key from the alias history", async () => {
    // A policy that trusts an admin role only: nothing explains Alice's calls.
    const adminOnly = {
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "Admin",
          Effect: "Allow",
          Principal: { AWS: `arn:aws:iam::${ACCOUNT}:role/Admin` },
          Action: "kms:*",
          Resource: "*",
        },
      ],
    };
    const model = await replayRecords([
      createKeyRecord("2024-03-01T00:00:00Z", adminOnly),
      ...records.slice(1),
    ]);
    const report = reach(model, `arn:aws:iam::${ACCOUNT}:user/Alice`, {
      from: Date.parse("2024-03-02T00:00:00Z"),
      to: Date.parse("2024-03-03T00:00:00Z"),
    });
    expect(report.usedButNotExplained).toMatchObject([
      { key: KEY_ARN, operation: "Decrypt", count: 2, keyFromAlias: 1, reasons: { "no-route": 2 } },
    ]);
    expect(renderBlocks(reachBlocks(report), "table")).toContain(`${KEY_ARN} (1 via alias, inferred)`);
  });

  it("says in the timeline which key of a re-encryption came from the alias history", () => {
    const source = keyArn("k-1");
    const destination = keyArn("k-2", OUTSIDER);
    const reencrypt = (m: number, keysFromAlias: KeyColumn[]) =>
      call("ReEncrypt", at(m), ADMIN, source, { destinationKey: destination, keysFromAlias });
    const model = buildModel({
      keys: [key("k-1")],
      usage: [reencrypt(1, []), reencrypt(2, ["destinationKey"]), reencrypt(3, ["key", "destinationKey"])],
    });
    const runs = timeline(model, {}).entries.filter((entry) => entry.kind === "usage");
    expect(runs.map((run) => [run.confidence, run.summary.replace(/^.* by [^ ]+/, "")])).toEqual([
      ["recorded", ""],
      ["inferred", " (destination key inferred from the alias history)"],
      ["inferred", " (keys inferred from the alias history)"],
    ]);
  });

  it("marks the scenario trail's two calls that name an alias and no key, and no other", async () => {
    const model = new CaseModel(await replayInputs(["fixtures/scenarios/aliases"]));
    const detail = usage(model, { calls: true }).detail ?? [];
    expect(detail.filter((call) => call.keyFromAlias).map((call) => call.operation)).toEqual([
      "Encrypt",
      "GenerateDataKey",
    ]);
    expect(detail.filter((call) => !call.keyFromAlias)).toHaveLength(3);
  });

  it("does not mark a call whose record named the key", async () => {
    const model = await replayRecords([createKeyRecord("2024-03-01T00:00:00Z"), records[4] as RawRecord]);
    expect(usage(model, { key: KEY_ARN }).calls[0]?.keyFromAlias).toBe(0);
    expect(usage(model, { key: KEY_ARN }).caveats.join("\n")).not.toMatch(/named an alias/);
  });
});
