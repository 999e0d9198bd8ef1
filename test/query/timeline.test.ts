import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { timeline } from "../../src/query/index.js";
import { KEY_ARN, KEY_RESOURCES, kmsRecord } from "../events/helpers.js";
import { useTempDir } from "../ingest/helpers.js";
import { createKeyRecord, replayRecords } from "../support/trail-records.js";

const model = (dir: string) => replayInputs([dir]).then((data) => new CaseModel(data));
const attribution = model("fixtures/scenarios/attribution");
const demo = model("fixtures/demo");
const KEY = "arn:aws:kms:us-east-1:111122223333:key/5c0f8a2e-7d41-4b6e-9a3c-2e8b1f6d4a90";
const PAYMENTS = "arn:aws:kms:us-east-1:111122223333:key/a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d";

describe("timeline", () => {
  it("warns when its window overlaps a gap of the key's account and Region, and only then", async () => {
    const whole = timeline(await demo, { key: PAYMENTS });
    expect(whole.caveats.filter((caveat) => caveat.includes("logging-stopped"))).toHaveLength(1);
    const before = timeline(await demo, { key: PAYMENTS, to: Date.parse("2024-12-17T13:00:00Z") });
    expect(before.caveats.filter((caveat) => caveat.includes("gap"))).toEqual([]);
  });

  it("orders events and usage runs by time, each line with its actor and eventIds", async () => {
    const report = timeline(await attribution, { key: KEY });
    const times = report.entries.map((entry) => entry.time);
    expect(times).toEqual([...times].sort());
    expect(report.entries.filter((entry) => entry.kind === "event").map((entry) => entry.name)).toEqual([
      "CreateKey",
      "CreateAlias",
      "CreateGrant",
      "RevokeGrant",
      "DisableKey",
      "EnableKey",
    ]);
    for (const entry of report.entries) {
      expect(entry.eventIds.length).toBeGreaterThan(0);
      expect(entry.actor).not.toBeNull();
    }
  });

  it("collapses consecutive calls into a run, and a management event of the key ends the run", async () => {
    const report = timeline(await attribution, { key: KEY });
    const encrypts = report.entries.filter((entry) => entry.kind === "usage" && entry.name === "Encrypt");
    expect(encrypts.map((run) => [run.time, run.end, run.count, run.error])).toEqual([
      ["2024-02-13T10:20:00.000Z", "2024-02-13T10:22:00.000Z", 3, null],
      ["2024-02-13T10:41:00.000Z", "2024-02-13T10:41:00.000Z", 1, "DisabledException"],
      ["2024-02-13T10:50:00.000Z", "2024-02-13T10:50:00.000Z", 1, null],
    ]);
    expect(encrypts[0]?.summary).toBe("Encrypt x 3 by 111122223333:role/OrdersApp, 10:20:00-10:22:00");
    expect(encrypts[0]?.eventIds).toHaveLength(3);
  });

  it("keeps failed calls apart from successful ones of the same principal", async () => {
    const report = timeline(await attribution, { principal: "arn:aws:iam::444455556666:role/ReportJob" });
    expect(report.entries.map((entry) => [entry.count, entry.error])).toEqual([
      [1, null],
      [1, "AccessDenied"],
      [1, null],
    ]);
  });

  it("shows a transition no record shows: imported key material expiring, marked inferred", async () => {
    const report = timeline(await model("fixtures/scenarios/imported-material"), {
      key: "6b5e1aec-0280-491c-83cd-ce7f77283b24",
    });
    const expiry = report.entries.find(
      (entry) => entry.kind === "state" && entry.time === "2024-04-09T17:00:00.000Z",
    );
    expect(expiry).toMatchObject({ confidence: "inferred", actor: null });
    expect(expiry?.summary).toMatch(/Enabled -> PendingImport \(key material expired/);
  });

  it("breaks runs at CloudTrail logging changes in the key's account, so calls in a blind spot stand out", async () => {
    const report = timeline(await demo, {
      key: PAYMENTS,
      principal: "arn:aws:iam::999988887777:role/data-sync",
    });
    const decrypts = report.entries.filter(
      (entry) => entry.kind === "usage" && entry.name === "Decrypt" && !entry.error,
    );
    expect(decrypts.map((run) => [run.time, run.count])).toEqual([
      ["2024-12-17T13:24:05.000Z", 6],
      ["2024-12-17T13:42:15.000Z", 5],
    ]);
  });

  it("starts a key first seen mid-trail with an unknown-state line, and honours the window", async () => {
    const whole = timeline(await demo, { key: PAYMENTS });
    expect(whole.entries[0]).toMatchObject({ kind: "state", confidence: "unknown", name: "FirstSeen" });
    const window = timeline(await demo, {
      key: PAYMENTS,
      from: Date.parse("2024-12-17T13:10:00Z"),
      to: Date.parse("2024-12-17T13:12:00Z"),
    });
    expect(window.entries.map((entry) => entry.name)).toEqual(["PutKeyPolicy"]);
  });
});

describe("timeline of a multi-Region key", () => {
  it("says which Region the primary moved from, on both records KMS logs of the change", async () => {
    const report = timeline(await model("fixtures/scenarios/multi-region"));
    const moves = report.entries
      .filter((entry) => entry.kind === "event" && entry.name === "UpdatePrimaryRegion")
      .map((entry) => [entry.region, entry.summary]);
    expect(moves).toEqual([
      ["us-east-1", "primary region us-east-1 -> eu-west-1"],
      [
        "eu-west-1",
        "primary region eu-west-1 (already the primary: the same change, logged in eu-west-1 too)",
      ],
    ]);
  });
});

describe("timeline of a CloudTrail control call", () => {
  const tempDir = useTempDir();

  it("names a trail the record does not name as gaps and findings do", async () => {
    const dir = await tempDir();
    const stop = {
      eventVersion: "1.08",
      eventTime: "2024-03-02T10:00:00Z",
      eventSource: "cloudtrail.amazonaws.com",
      eventName: "StopLogging",
      awsRegion: "us-east-1",
      recipientAccountId: "111122223333",
      eventID: "stop-unnamed",
      userIdentity: { type: "Root", arn: "arn:aws:iam::111122223333:root", accountId: "111122223333" },
      requestParameters: {},
    };
    await writeFile(join(dir, "trail.json"), JSON.stringify({ Records: [stop] }));
    const report = timeline(new CaseModel(await replayInputs([dir])));
    expect(report.entries.map((entry) => entry.summary)).toEqual(["trail (unnamed): StopLogging"]);
  });
});

describe("timeline of calls in the same second", () => {
  it("lists them in the order replay applied them, not by their random eventIds", async () => {
    const model = await replayRecords([
      { ...createKeyRecord("2024-05-01T10:00:00Z"), eventID: "ffffffff-create" },
      kmsRecord({
        eventName: "DisableKey",
        eventTime: "2024-05-01T10:00:00Z",
        eventID: "00000000-disable",
        requestParameters: { keyId: KEY_ARN },
        resources: KEY_RESOURCES,
      }),
    ]);
    const events = timeline(model).entries.filter((entry) => entry.kind === "event");
    expect(events.map((entry) => [entry.name, entry.summary])).toEqual([
      ["CreateKey", "created (Enabled, default policy (inferred))"],
      ["DisableKey", "state Enabled -> Disabled"],
    ]);
  });
});

describe("timeline of a usage run over several days", () => {
  it("dates both ends of the run, not only their times of day", async () => {
    const decrypt = (eventTime: string, eventID: string) =>
      kmsRecord({
        eventName: "Decrypt",
        eventTime,
        eventID,
        requestParameters: { keyId: KEY_ARN },
        resources: KEY_RESOURCES,
      });
    const model = await replayRecords([
      decrypt("2024-05-20T10:00:00Z", "decrypt-1"),
      decrypt("2024-06-05T10:00:00Z", "decrypt-2"),
    ]);
    const runs = timeline(model).entries.filter((entry) => entry.kind === "usage");
    expect(runs.map((entry) => entry.summary)).toEqual([
      "Decrypt x 2 by 111122223333:user/Alice, 2024-05-20T10:00:00Z-2024-06-05T10:00:00Z",
    ]);
  });
});

describe("timeline of calls that name no key", () => {
  const listKeys = (
    eventTime: string,
    eventID: string,
    awsRegion: string,
    recipientAccountId = "111122223333",
  ) =>
    kmsRecord({
      eventName: "ListKeys",
      eventTime,
      eventID,
      awsRegion,
      recipientAccountId,
      requestParameters: null,
    });

  it("keeps calls of different Regions and accounts in runs of their own, each saying where it was", async () => {
    const model = await replayRecords([
      listKeys("2024-05-01T10:00:00Z", "list-1", "us-east-1"),
      listKeys("2024-05-01T10:01:00Z", "list-2", "eu-west-1"),
      listKeys("2024-05-01T10:02:00Z", "list-3", "us-east-1"),
      listKeys("2024-05-01T10:03:00Z", "list-4", "us-east-1", "444455556666"),
    ]);
    const runs = timeline(model).entries.filter((entry) => entry.kind === "usage");
    expect(runs.map((entry) => [entry.account, entry.region, entry.count, entry.time])).toEqual([
      ["111122223333", "us-east-1", 2, "2024-05-01T10:00:00.000Z"],
      ["111122223333", "eu-west-1", 1, "2024-05-01T10:01:00.000Z"],
      ["444455556666", "us-east-1", 1, "2024-05-01T10:03:00.000Z"],
    ]);
  });

  it("breaks their runs on an event naming no key in their account and Region, as keyed runs break", async () => {
    // A CloudTrail call that names no key, by the same caller in the same account.
    const stopLogging = (eventTime: string, awsRegion: string) => ({
      ...listKeys(eventTime, `stop-${awsRegion}`, awsRegion),
      eventSource: "cloudtrail.amazonaws.com",
      eventName: "StopLogging",
    });
    const model = await replayRecords([
      listKeys("2024-05-01T10:00:00Z", "list-1", "us-east-1"),
      stopLogging("2024-05-01T10:01:00Z", "eu-west-1"),
      listKeys("2024-05-01T10:02:00Z", "list-2", "us-east-1"),
      stopLogging("2024-05-01T10:03:00Z", "us-east-1"),
      listKeys("2024-05-01T10:04:00Z", "list-3", "us-east-1"),
      listKeys("2024-05-01T10:05:00Z", "list-4", "us-east-1"),
    ]);
    const runs = timeline(model).entries.filter((entry) => entry.kind === "usage");
    expect(runs.map((entry) => [entry.count, entry.eventIds])).toEqual([
      [2, ["list-1", "list-2"]],
      [2, ["list-3", "list-4"]],
    ]);
  });
});
