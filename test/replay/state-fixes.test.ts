import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { keyAt, keyHistory } from "../../src/query/index.js";
import { keyHistoryBlocks, keyHistoryCsv } from "../../src/render/key-report.js";
import { SHARED_DATA, sharedDataPresent } from "../support/shared-data.js";
import { replayRecords } from "../support/trail-records.js";

/**
 * Replay fixes, each held to what an investigator sees: `key --at` (state, confidence, provenance, deletion
 * date, role, grants) and the timeline. Records are built in memory, or read from ../shared/data in place.
 */

const ACCOUNT = "111122223333";
const REGION = "us-west-2";
const KEY_ID = "1234abcd-12ab-34cd-56ef-1234567890ab";
const KEY = `arn:aws:kms:${REGION}:${ACCOUNT}:key/${KEY_ID}`;

let counter = 0;

/** One KMS record by Alice on KEY (resources[] names it), with the given parameters. */
function kms(
  eventName: string,
  eventTime: string,
  fields: {
    request?: Record<string, unknown>;
    response?: Record<string, unknown> | null;
    eventID?: string;
  } = {},
): Record<string, unknown> {
  counter++;
  return {
    eventVersion: "1.08",
    userIdentity: {
      type: "IAMUser",
      principalId: "EX_PRINCIPAL_ID",
      arn: `arn:aws:iam::${ACCOUNT}:user/Alice`,
      accountId: ACCOUNT,
      userName: "Alice",
    },
    eventTime,
    eventSource: "kms.amazonaws.com",
    eventName,
    awsRegion: REGION,
    sourceIPAddress: "192.0.2.0",
    requestParameters: { keyId: KEY_ID, ...fields.request },
    responseElements: fields.response ?? null,
    requestID: `req-${counter}`,
    eventID: fields.eventID ?? `00000000-0000-4000-8000-${String(counter).padStart(12, "0")}`,
    readOnly: false,
    resources: [{ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: KEY }],
    eventType: "AwsApiCall",
    recipientAccountId: ACCOUNT,
  };
}

const at = (model: CaseModel, key: string, iso: string) => keyAt(model, key, Date.parse(iso));

const importMaterial = (validTo: string) =>
  kms("ImportKeyMaterial", "2025-05-21T05:42:31Z", {
    request: { validTo, expirationModel: "KEY_MATERIAL_EXPIRES", importType: "NEW_KEY_MATERIAL" },
    response: { keyId: KEY },
    eventID: "import-1",
  });

/** Material imported for a later on-demand rotation (importType NEW_KEY_MATERIAL), named `id`. */
const newMaterial = (eventTime: string, id: string) =>
  kms("ImportKeyMaterial", eventTime, {
    request: { expirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE", importType: "NEW_KEY_MATERIAL" },
    response: { keyId: KEY, keyMaterialId: id },
    eventID: `import-${id}`,
  });

const deleteMaterial = (eventTime: string, id: string) =>
  kms("DeleteImportedKeyMaterial", eventTime, {
    request: { keyMaterialId: id },
    response: { keyId: KEY, keyMaterialId: id },
    eventID: `delete-${id}`,
  });

const scheduleDeletion = kms("ScheduleKeyDeletion", "2025-05-21T05:43:00Z", {
  request: { pendingWindowInDays: 20 },
  response: { keyId: KEY, keyState: "PendingDeletion", deletionDate: "Jun 10, 2025, 5:43:00 AM" },
  eventID: "schedule-1",
});

describe("imported material lost while the key is pending deletion (defect 1)", () => {
  it("DeleteImportedKeyMaterial leaves a PendingDeletion key PendingDeletion, with its deletion date", async () => {
    const model = await replayRecords([
      importMaterial("Dec 31, 2025, 0:00:00 AM"),
      scheduleDeletion,
      kms("DeleteImportedKeyMaterial", "2025-05-21T05:44:00Z", {
        response: { keyId: KEY },
        eventID: "delete-1",
      }),
    ]);
    const report = at(model, KEY, "2025-05-21T06:00:00Z");
    expect(report).toMatchObject({
      state: "PendingDeletion",
      stateConfidence: "recorded",
      stateEventIds: ["schedule-1"],
      deletionDate: "2025-06-10T05:43:00.000Z",
      material: null,
    });
    expect(model.data.events.find((event) => event.eventId === "delete-1")?.summary).toBe(
      "state stays PendingDeletion; imported material deleted",
    );
  });

  it("material expiring while the key is pending deletion does not make it PendingImport", async () => {
    const model = await replayRecords([
      importMaterial("May 21, 2025, 5:50:00 AM"),
      scheduleDeletion,
      kms("DescribeKey", "2025-05-22T00:00:00Z"),
    ]);
    const report = at(model, KEY, "2025-05-21T06:00:00Z");
    expect(report).toMatchObject({
      state: "PendingDeletion",
      deletionDate: "2025-06-10T05:43:00.000Z",
      material: null,
    });
  });

  it("without a pending deletion, deleting the material still makes the key PendingImport", async () => {
    const model = await replayRecords([
      importMaterial("Dec 31, 2025, 0:00:00 AM"),
      kms("DeleteImportedKeyMaterial", "2025-05-21T05:44:00Z", {
        response: { keyId: KEY },
        eventID: "delete-2",
      }),
    ]);
    expect(at(model, KEY, "2025-05-21T06:00:00Z")).toMatchObject({
      state: "PendingImport",
      stateEventIds: ["delete-2"],
    });
  });
});

describe("material expiring after the end of the trail (defect 2)", () => {
  it("is PendingImport at validTo, inferred from the ImportKeyMaterial", async () => {
    const model = await replayRecords([importMaterial("Dec 31, 2025, 0:00:00 AM")]);
    // The trail does not show the key's state before the import: it may have been Disabled.
    expect(at(model, KEY, "2025-12-30T23:59:59Z")).toMatchObject({
      state: "Enabled",
      stateConfidence: "inferred",
    });
    expect(at(model, KEY, "2026-01-01T00:00:00Z")).toMatchObject({
      state: "PendingImport",
      stateConfidence: "inferred",
      stateSince: "2025-12-31T00:00:00.000Z",
      stateEventIds: ["import-1"],
      material: null,
    });
  });

  it("an expiry inside the trail carries the ImportKeyMaterial as provenance too", async () => {
    const model = await replayRecords([
      importMaterial("May 21, 2025, 5:50:00 AM"),
      kms("DescribeKey", "2025-05-22T00:00:00Z"),
    ]);
    expect(at(model, KEY, "2025-05-21T06:00:00Z")).toMatchObject({
      state: "PendingImport",
      stateConfidence: "inferred",
      stateEventIds: ["import-1"],
    });
  });

  it("re-imported material before validTo cancels the expiry", async () => {
    const model = await replayRecords([
      importMaterial("May 21, 2025, 5:50:00 AM"),
      kms("ImportKeyMaterial", "2025-05-21T05:45:00Z", {
        request: { expirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" },
        eventID: "import-2",
      }),
    ]);
    expect(at(model, KEY, "2026-01-01T00:00:00Z")).toMatchObject({
      state: "Enabled",
      material: { validTo: null, expirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" },
    });
  });
});

describe("ScheduleKeyDeletion without a deletionDate in the response (defect 6)", () => {
  it("takes eventTime + pendingWindowInDays, inferred", async () => {
    const model = await replayRecords([
      kms("ScheduleKeyDeletion", "2024-10-14T10:00:00Z", {
        request: { pendingWindowInDays: 7 },
        response: { keyId: KEY, keyState: "PendingDeletion" },
        eventID: "schedule-2",
      }),
    ]);
    expect(at(model, KEY, "2024-10-15T00:00:00Z").deletionDate).toBe("2024-10-21T10:00:00.000Z");
    expect(model.data.keys.find((key) => key.arn === KEY)?.deletionDates).toMatchObject([
      { value: Date.parse("2024-10-21T10:00:00Z"), confidence: "inferred", openedBy: ["schedule-2"] },
    ]);
  });
});

describe("RetireGrant/RevokeGrant of a grant not seen created (defect 5)", () => {
  it("keeps the grant from an unknown start (coverage start) to the revoke", async () => {
    const model = await replayRecords([
      kms("DescribeKey", "2022-09-01T00:00:00Z"),
      kms("RevokeGrant", "2022-09-01T19:35:17Z", { request: { grantId: "grant-1" }, eventID: "revoke-1" }),
    ]);
    expect(at(model, KEY, "2022-09-01T12:00:00Z").grants).toMatchObject([
      {
        grantId: "grant-1",
        from: "2022-09-01T00:00:00.000Z",
        to: "2022-09-01T19:35:17.000Z",
        closeReason: "revoked",
        operations: [],
        eventIds: ["revoke-1"],
      },
    ]);
    expect(model.data.grants).toMatchObject([{ grantId: "grant-1", confidence: "unknown", openedBy: [] }]);
    expect(at(model, KEY, "2022-09-01T20:00:00Z").grants).toEqual([]);
  });
});

describe("DeleteAlias takes its key from resources[] (defect 3)", () => {
  const alias = (eventName: string, time: string, target: string | null, eventID: string) => ({
    ...kms(eventName, time, {
      request: { aliasName: "alias/app", ...(target ? { targetKeyId: target } : {}) },
      eventID,
    }),
    resources: [
      { accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: `arn:aws:kms:${REGION}:${ACCOUNT}:alias/app` },
      ...(target ? [{ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: target }] : []),
    ],
  });
  const OTHER = `arn:aws:kms:${REGION}:${ACCOUNT}:key/0987dcba-09fe-87dc-65ba-ab0987654321`;

  it("names the key when the trail never showed where the alias pointed", async () => {
    const model = await replayRecords([alias("DeleteAlias", "2024-01-02T00:00:00Z", KEY, "del-1")]);
    const event = model.data.events.find((e) => e.eventId === "del-1");
    expect(event).toMatchObject({ keys: [KEY], details: { alias: "alias/app", previousKey: KEY } });
    // The alias pointed to the key until the delete: an inferred interval ending exactly there.
    expect(model.data.aliases).toMatchObject([
      { value: KEY, to: Date.parse("2024-01-02T00:00:00Z"), confidence: "inferred", closedBy: ["del-1"] },
    ]);
  });

  it("agrees with a known target", async () => {
    const model = await replayRecords([
      alias("CreateAlias", "2024-01-01T00:00:00Z", KEY, "create-1"),
      alias("DeleteAlias", "2024-01-02T00:00:00Z", KEY, "del-2"),
    ]);
    expect(model.data.events.find((e) => e.eventId === "del-2")).toMatchObject({
      keys: [KEY],
      summary: "alias/app deleted",
    });
    expect(model.data.aliases).toMatchObject([{ value: KEY, confidence: "recorded", closedBy: ["del-2"] }]);
  });

  it("says so when the record's key is not the one the trail had the alias pointing to", async () => {
    const model = await replayRecords([
      alias("CreateAlias", "2024-01-01T00:00:00Z", OTHER, "create-2"),
      alias("DeleteAlias", "2024-01-02T00:00:00Z", KEY, "del-3"),
    ]);
    expect(model.data.events.find((e) => e.eventId === "del-3")).toMatchObject({
      keys: [OTHER, KEY],
      details: { previousKey: OTHER, recordKey: KEY },
    });
  });
});

describe("ReplicateKey shows its key is a multi-Region primary (defect 4)", () => {
  it("marks a key whose creation is not in the trail PRIMARY from the ReplicateKey", async () => {
    const model = await replayRecords([
      kms("ReplicateKey", "2020-11-18T01:29:18Z", {
        request: { replicaRegion: "us-east-1" },
        eventID: "replicate-1",
      }),
    ]);
    const report = at(model, KEY, "2020-11-18T02:00:00Z");
    expect(report.key.multiRegion).toBe(true);
    expect(report.multiRegionRole).toEqual({ role: "PRIMARY", primaryArn: KEY });
    expect(at(model, KEY.replace(REGION, "us-east-1"), "2020-11-18T02:00:00Z").multiRegionRole).toEqual({
      role: "REPLICA",
      primaryArn: KEY,
    });
  });
});

/** The same fixes on the public samples, read in place (see ../shared/data/INDEX.md). */
describe.skipIf(!sharedDataPresent("replay-fix tests"))("replay fixes on ../shared/data", () => {
  const sample = async (path: string) =>
    new CaseModel(await replayInputs([join(SHARED_DATA, path)], { threads: 1 }));

  it("ct-importkeymaterial: the material expires after the trail's end (defect 2)", async () => {
    const model = await sample("aws-kms-developer-guide-current/ct-importkeymaterial.json");
    expect(at(model, KEY, "2025-05-22T00:00:00Z")).toMatchObject({
      state: "PendingImport",
      stateConfidence: "inferred",
      stateSince: "2025-05-21T05:47:45.000Z",
      stateEventIds: ["c7abd205-a5a2-4430-bbfa-fc10f3e2d79f"],
      material: null,
    });
  });

  it("ct-deletealias: the DeleteAlias names key 1234abcd… from resources[] (defect 3)", async () => {
    const model = await sample("aws-kms-developer-guide/ct-deletealias.json");
    expect(model.data.events.map((event) => event.keys)).toEqual([[KEY]]);
  });

  it("ct-replicate-key: the primary is multi-Region and PRIMARY (defect 4)", async () => {
    const model = await sample("aws-kms-developer-guide/ct-replicate-key.json");
    const primary = `arn:aws:kms:us-east-1:${ACCOUNT}:key/${KEY_ID}`;
    const report = at(model, primary, "2020-11-18T02:00:00Z");
    expect(report.key.multiRegion).toBe(true);
    expect(report.multiRegionRole).toEqual({ role: "PRIMARY", primaryArn: primary });
  });

  it("ct-revoke-grant: the revoked grant is kept, start unknown (defect 5)", async () => {
    const model = await sample("aws-kms-developer-guide/ct-revoke-grant.json");
    expect(model.data.grants).toMatchObject([
      {
        grantId: "abcde1237f76e4ba7987489ac329fbfba6ad343d6f7075dbd1ef191f0120514a",
        keyArn: KEY,
        to: Date.parse("2022-09-01T19:35:17Z"),
        openedBy: [],
        closedBy: ["07a23a39-6526-4ae2-b31e-d35fbe9e24ee"],
        closeReason: "revoked",
        confidence: "unknown",
      },
    ]);
  });
});

describe("CreateGrant records that do not log the grant's operations (eventVersion 1.02)", () => {
  const createGrant = (eventID: string, grantId: string, operations?: string[]) =>
    kms("CreateGrant", "2014-11-05T21:35:35Z", {
      request: { granteePrincipal: `arn:aws:iam::${ACCOUNT}:role/G`, ...(operations ? { operations } : {}) },
      response: { grantId },
      eventID,
    });

  it("keeps the grant's operations unknown, not empty, in key --at and the timeline", async () => {
    const model = await replayRecords([
      createGrant("old-1", "grant-old"),
      createGrant("new-1", "grant-new", ["Decrypt"]),
    ]);
    const grants = at(model, KEY, "2014-11-05T22:00:00Z").grants;
    expect(grants).toHaveLength(2);
    expect(grants).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ grantId: "grant-old", operations: [], operationsKnown: false }),
        expect.objectContaining({ grantId: "grant-new", operations: ["Decrypt"], operationsKnown: true }),
      ]),
    );
    const summaries = model.data.events.map((event) => event.summary);
    expect(summaries.sort()).toEqual([
      `grant grant-new to arn:aws:iam::${ACCOUNT}:role/G: Decrypt`,
      `grant grant-old to arn:aws:iam::${ACCOUNT}:role/G: operations not logged`,
    ]);
  });
});

describe("a grant the trail shows only being revoked", () => {
  it("is shown with confidence unknown beside the grant whose CreateGrant was logged", async () => {
    const model = await replayRecords([
      kms("CreateGrant", "2024-03-01T10:00:00Z", {
        request: { granteePrincipal: `arn:aws:iam::${ACCOUNT}:role/G`, operations: ["Decrypt"] },
        response: { grantId: "g-created" },
      }),
      kms("RevokeGrant", "2024-03-01T11:00:00Z", { request: { grantId: "g-before-the-trail" } }),
    ]);
    const history = keyHistory(model, KEY);
    expect(history.grants.map(({ grantId, confidence }) => [grantId, confidence])).toEqual([
      ["g-before-the-trail", "unknown"],
      ["g-created", "recorded"],
    ]);
    const grants = keyHistoryBlocks(history).find(
      (block) => block.kind === "table" && block.title === "Grants",
    );
    expect(grants?.kind === "table" && grants.table.headers).toContain("confidence");
    const csv = keyHistoryCsv(history).rows.filter((row) => row.section === "grants");
    expect(csv.map((row) => row.confidence)).toEqual(["unknown", "recorded"]);
    expect(keyAt(model, KEY, Date.parse("2024-03-01T10:30:00Z")).grants).toMatchObject([
      { grantId: "g-before-the-trail", confidence: "unknown" },
      { grantId: "g-created", confidence: "recorded" },
    ]);
  });
});

describe("grants, imported material and multi-Region keys as KMS runs them (lifecycle review)", () => {
  const grantTo = (eventTime: string, eventID: string) =>
    kms("CreateGrant", eventTime, {
      request: {
        granteePrincipal: `arn:aws:iam::${ACCOUNT}:role/Worker`,
        operations: ["Decrypt"],
        name: "w",
      },
      response: { grantId: "g-named" },
      eventID,
    });

  it("a retried named CreateGrant (same grantId) leaves the grant as first created", async () => {
    const model = await replayRecords([
      grantTo("2024-06-01T10:10:00Z", "grant-first"),
      grantTo("2024-06-02T10:10:00Z", "grant-retry"),
    ]);
    expect(at(model, KEY, "2024-06-01T12:00:00Z").grants).toMatchObject([
      { grantId: "g-named", from: "2024-06-01T10:10:00.000Z", eventIds: ["grant-first"] },
    ]);
    expect(model.data.events.find((event) => event.eventId === "grant-retry")?.summary).toContain(
      "the grant from 2024-06-01T10:10:00.000Z is unchanged",
    );
  });

  it("ImportKeyMaterial makes a PendingImport key Enabled and leaves a Disabled one Disabled", async () => {
    const model = await replayRecords([
      importMaterial("Dec 31, 2025, 0:00:00 AM"),
      kms("DisableKey", "2025-05-21T06:00:00Z"),
      kms("ImportKeyMaterial", "2025-05-21T07:00:00Z", {
        request: { expirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE", importType: "EXISTING_KEY_MATERIAL" },
        eventID: "reimport",
      }),
    ]);
    expect(at(model, KEY, "2025-05-21T08:00:00Z")).toMatchObject({ state: "Disabled" });
    expect(model.data.events.find((event) => event.eventId === "reimport")?.summary).toMatch(
      /^state stays Disabled; material imported/,
    );
  });

  it("new material imported beside the key's own changes neither the state nor the expiry", async () => {
    const model = await replayRecords([
      importMaterial("May 25, 2025, 0:00:00 AM"),
      newMaterial("2025-05-22T00:00:00Z", "m2"),
      deleteMaterial("2025-05-23T00:00:00Z", "m2"),
    ]);
    expect(at(model, KEY, "2025-05-24T00:00:00Z")).toMatchObject({ state: "Enabled" });
    expect(at(model, KEY, "2025-05-26T00:00:00Z")).toMatchObject({
      state: "PendingImport",
      stateEventIds: ["import-1"],
    });
    expect(model.data.events.find((event) => event.eventId === "delete-m2")?.summary).toMatch(
      /^state stays Enabled \(material imported for a rotation that had not happened\)/,
    );
  });
});

describe("imported material made current by a rotation, and imports in the same second (diff review)", () => {
  it("deleting new material after the rotation that made it current leaves the key waiting for material", async () => {
    const model = await replayRecords([
      newMaterial("2025-05-21T00:00:00Z", "m1"),
      newMaterial("2025-05-22T00:00:00Z", "m2"),
      {
        ...kms("RotateKey", "2025-05-23T00:00:00Z", { eventID: "rotate" }),
        eventType: "AwsServiceEvent",
        serviceEventDetails: { keyId: KEY, currentKeyMaterialId: "m2" },
      },
      deleteMaterial("2025-05-24T00:00:00Z", "m2"),
    ]);
    expect(at(model, KEY, "2025-05-25T00:00:00Z")).toMatchObject({
      state: "PendingImport",
      stateEventIds: ["delete-m2"],
    });
  });

  it("an import and a DisableKey in the same second leave a Disabled key Disabled, whatever their order", async () => {
    const model = await replayRecords([
      importMaterial("Dec 31, 2025, 0:00:00 AM"),
      kms("DisableKey", "2025-05-21T06:00:00Z"),
      kms("ImportKeyMaterial", "2025-05-21T07:00:00Z", {
        request: { expirationModel: "KEY_MATERIAL_DOES_NOT_EXPIRE" },
      }),
      kms("DisableKey", "2025-05-21T07:00:00Z"),
    ]);
    expect(at(model, KEY, "2025-05-21T08:00:00Z")).toMatchObject({
      state: "Disabled",
      stateConfidence: "recorded",
    });
  });
});

describe("multi-Region replicas (lifecycle review)", () => {
  const PRIMARY = `arn:aws:kms:us-east-1:${ACCOUNT}:key/mrk-1234`;
  const REPLICA = `arn:aws:kms:us-west-2:${ACCOUNT}:key/mrk-1234`;
  const record = (
    eventName: string,
    eventTime: string,
    region: string,
    arn: string,
    eventID: string,
    fields: { request?: Record<string, unknown>; response?: Record<string, unknown> } = {},
  ) => ({
    ...kms(eventName, eventTime, { ...fields, eventID }),
    awsRegion: region,
    requestParameters: { keyId: arn, ...fields.request },
    resources: [{ accountId: ACCOUNT, type: "AWS::KMS::Key", ARN: arn }],
  });
  const createPrimary = (origin: string) =>
    record("CreateKey", "2024-05-01T10:00:00Z", "us-east-1", PRIMARY, "create-primary", {
      request: { multiRegion: true, origin },
      response: { keyMetadata: { arn: PRIMARY, multiRegion: true, origin } },
    });
  const replicate = record("ReplicateKey", "2024-05-01T10:05:00Z", "us-east-1", PRIMARY, "replicate", {
    request: { replicaRegion: "us-west-2" },
    response: { replicaKeyMetadata: { arn: REPLICA } },
  });
  // The CreateKey KMS logs in the replica's Region; same second, either eventID order.
  const replicaCreate = (eventID: string, eventTime = "2024-05-01T10:05:00Z", configuration = true) =>
    record("CreateKey", eventTime, "us-west-2", REPLICA, eventID, {
      response: {
        keyMetadata: {
          arn: REPLICA,
          keyState: "Creating",
          multiRegion: true,
          ...(configuration
            ? { multiRegionConfiguration: { multiRegionKeyType: "REPLICA", primaryKey: { arn: PRIMARY } } }
            : {}),
        },
      },
    });

  it("the replica's own CreateKey, before or after its ReplicateKey, leaves the same replica", async () => {
    const answers = [];
    for (const eventID of ["00000000-replica-create", "ffffffff-replica-create"]) {
      const model = await replayRecords([createPrimary("AWS_KMS"), replicate, replicaCreate(eventID)]);
      const report = at(model, REPLICA, "2024-05-01T11:00:00Z");
      expect(report).toMatchObject({
        state: "Enabled",
        multiRegionRole: { role: "REPLICA", primaryArn: PRIMARY },
        policy: { version: 1, eventIds: ["replicate"] },
      });
      answers.push(report);
    }
    expect(answers[0]).toEqual(answers[1]);
  });

  it("is created once when its own CreateKey comes seconds after, or seconds before, its ReplicateKey", async () => {
    const after = await replayRecords([
      createPrimary("AWS_KMS"),
      replicate,
      replicaCreate("replica-create", "2024-05-01T10:05:03Z", false),
    ]);
    const before = await replayRecords([
      createPrimary("AWS_KMS"),
      replicaCreate("replica-create", "2024-05-01T10:04:58Z"),
      replicate,
    ]);
    for (const [model, created] of [
      [after, "2024-05-01T10:05:00.000Z"],
      [before, "2024-05-01T10:04:58.000Z"],
    ] as const) {
      expect(at(model, REPLICA, "2024-05-01T11:00:00Z")).toMatchObject({
        state: "Enabled",
        multiRegionRole: { role: "REPLICA", primaryArn: PRIMARY },
        policy: { version: 1, eventIds: ["replicate"] },
      });
      const history = keyHistory(model, REPLICA);
      expect(history.key).toMatchObject({ createdAt: created });
      expect(history.policies).toHaveLength(1);
      expect(history.multiRegionRoles).toHaveLength(1);
    }
  });

  it("a replica of a key with imported material waits for its own import (PendingImport)", async () => {
    const model = await replayRecords([createPrimary("EXTERNAL"), replicate]);
    expect(at(model, REPLICA, "2024-05-01T11:00:00Z")).toMatchObject({
      state: "PendingImport",
      stateConfidence: "inferred",
    });
    // The primary's creation is not in the trail: the origin the ReplicateKey logs decides.
    const alone = await replayRecords([
      record("ReplicateKey", "2024-05-01T10:05:00Z", "us-east-1", PRIMARY, "replicate", {
        request: { replicaRegion: "us-west-2" },
        response: { replicaKeyMetadata: { arn: REPLICA, origin: "EXTERNAL" } },
      }),
    ]);
    expect(at(alone, REPLICA, "2024-05-01T11:00:00Z")).toMatchObject({ state: "PendingImport" });
  });

  it("a primary waiting for its replicas has no deletion date until the last one is deleted", async () => {
    const model = await replayRecords([
      createPrimary("AWS_KMS"),
      replicate,
      record("ScheduleKeyDeletion", "2024-05-02T10:00:00Z", "us-east-1", PRIMARY, "schedule-primary", {
        request: { pendingWindowInDays: 7 },
        response: { keyId: PRIMARY, keyState: "PendingReplicaDeletion" },
      }),
      record("ScheduleKeyDeletion", "2024-05-03T10:00:00Z", "us-west-2", REPLICA, "schedule-replica", {
        request: { pendingWindowInDays: 30 },
        response: { keyId: REPLICA, keyState: "PendingDeletion" },
      }),
      record("DeleteKey", "2024-06-02T10:00:00Z", "us-west-2", REPLICA, "delete-replica"),
    ]);
    expect(at(model, PRIMARY, "2024-05-20T00:00:00Z")).toMatchObject({
      state: "PendingReplicaDeletion",
      deletionDate: null,
    });
    expect(at(model, PRIMARY, "2024-06-05T00:00:00Z")).toMatchObject({
      state: "PendingDeletion",
      stateConfidence: "inferred",
      stateEventIds: ["delete-replica"],
      deletionDate: "2024-06-09T10:00:00.000Z",
    });
    // The history shows the date and the roles too, in JSON and in the table.
    const history = keyHistory(model, PRIMARY);
    expect(history.deletionDates).toMatchObject([
      { from: "2024-06-02T10:00:00.000Z", value: "2024-06-09T10:00:00.000Z", confidence: "inferred" },
    ]);
    expect(keyHistory(model, REPLICA).multiRegionRoles).toMatchObject([
      { value: { role: "REPLICA", primaryArn: PRIMARY }, openedBy: ["replicate"] },
    ]);
    const titles = keyHistoryBlocks(history).map((block) => block.title);
    expect(titles).toEqual(expect.arrayContaining(["Deletion dates", "Descriptions", "Multi-Region roles"]));
  });
});

describe("a RetireGrant whose record names no grant (lifecycle review)", () => {
  it("leaves the grants in force, with a caveat that one of them may have ended", async () => {
    const model = await replayRecords([
      kms("CreateGrant", "2024-06-01T10:00:00Z", {
        request: { granteePrincipal: `arn:aws:iam::${ACCOUNT}:role/X`, operations: ["Decrypt"] },
        response: { grantId: "g-x" },
      }),
      kms("RetireGrant", "2024-06-02T10:00:00Z", {
        request: { grantToken: "token" },
        eventID: "retire-by-token",
      }),
    ]);
    const before = at(model, KEY, "2024-06-01T12:00:00Z");
    const after = at(model, KEY, "2024-06-02T12:00:00Z");
    expect(after.grants.map((grant) => grant.grantId)).toEqual(["g-x"]);
    const unnamed = (caveats: string[]) => caveats.filter((caveat) => caveat.includes("names no grant"));
    expect(unnamed(before.caveats)).toEqual([]);
    expect(unnamed(after.caveats)).toEqual([
      "RetireGrant at 2024-06-02T10:00:00.000Z (retire-by-token) names no grant: one of the grants shown in force may have ended then",
    ]);
  });

  it("says nothing of grants created after it", async () => {
    const model = await replayRecords([
      kms("RetireGrant", "2024-06-02T10:00:00Z", { request: { grantToken: "token" } }),
      kms("CreateGrant", "2024-06-03T10:00:00Z", {
        request: { granteePrincipal: `arn:aws:iam::${ACCOUNT}:role/Y`, operations: ["Decrypt"] },
        response: { grantId: "g-y" },
      }),
    ]);
    const report = at(model, KEY, "2024-06-04T00:00:00Z");
    expect(report.grants.map((grant) => grant.grantId)).toEqual(["g-y"]);
    expect(report.caveats.filter((caveat) => caveat.includes("names no grant"))).toEqual([]);
  });
});
