import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RawRecord } from "../../src/ingest/types.js";
import { CaseModel, graphRows, readCaseFile, writeCaseFile } from "../../src/model/index.js";
import { reach, timeline, usage } from "../../src/query/index.js";
import { renderBlocks } from "../../src/render/index.js";
import { usageBlocks, usageCsv } from "../../src/render/usage.js";
import { ACCOUNT, KEY_ARN, KEY_RESOURCES, kmsRecord } from "../events/helpers.js";
import { createKeyRecord, replayRecords } from "../support/trail-records.js";

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
  decryptByAlias("2024-03-02T10:00:00Z", "logged-key", { resources: true }),
  decryptByAlias("2024-03-02T11:00:00Z", "refused-no-key", { resources: false, error: "AccessDenied" }),
  decryptByAlias("2024-03-02T12:00:00Z", "ok-no-key", { resources: false }),
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

  it("does not mark a call whose record named the key", async () => {
    const model = await replayRecords([createKeyRecord("2024-03-01T00:00:00Z"), records[2] as RawRecord]);
    expect(usage(model, { key: KEY_ARN }).calls[0]?.keyFromAlias).toBe(0);
    expect(usage(model, { key: KEY_ARN }).caveats.join("\n")).not.toMatch(/named an alias/);
  });
});
