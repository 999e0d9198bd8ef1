import { describe, expect, it } from "vitest";
import { CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { reach, type WhoCanReport, whoCanAt } from "../../src/query/index.js";
import { KEY_ARN, KEY_RESOURCES, kmsRecord } from "../events/helpers.js";
import { replayRecords } from "../support/trail-records.js";

/**
 * ReplicateKey on a multi-Region primary key creates a replica in another Region under a key policy the caller
 * chooses, with the same key material (AWS KMS API Reference, ReplicateKey): a holder of kms:ReplicateKey can
 * use the key's ciphertexts. scenarios/multi-region (fixtures/README.md §3): the us-east-1 key is the primary
 * from 10:00, replicated to eu-west-1 at 10:05; UpdatePrimaryRegion makes eu-west-1 the primary at 10:30.
 */
const fixtures = new URL("../../fixtures/", import.meta.url).pathname;
const scenario = replayInputs([`${fixtures}scenarios/multi-region`]).then((data) => new CaseModel(data));

const ID = "mrk-076f694cf1915bf7a94326fa7a658120";
const US = `arn:aws:kms:us-east-1:111122223333:key/${ID}`;
const EU = `arn:aws:kms:eu-west-1:111122223333:key/${ID}`;
const ACCOUNT = "111122223333";
const at = (iso: string) => Date.parse(iso);

const replication = (report: WhoCanReport) =>
  report.principals.flatMap((entry) =>
    entry.via.filter((via) => via.action === "ReplicateKey").map(() => entry.principal),
  );

describe("who-can lists ReplicateKey as an escalation on a multi-Region primary key only", () => {
  it("the primary: the account's delegation may replicate it, conditionally, with a caveat", async () => {
    const report = whoCanAt(await scenario, US, at("2024-05-14T10:10:00Z"), { operation: "Decrypt" });
    expect(replication(report)).toEqual([ACCOUNT]);
    const route = report.principals
      .find((entry) => entry.principal === ACCOUNT)
      ?.via.find((via) => via.action === "ReplicateKey");
    expect(route).toMatchObject({
      type: "escalation",
      conditionResult: "unknown",
      reaches: expect.arrayContaining(["Decrypt", "Encrypt"]),
    });
    expect(report.caveats.join(" ")).toMatch(/escalation by ReplicateKey.*kms:CreateKey/);
    // The replica is named, with its own policy not evaluated here.
    expect(report.caveats.join(" ")).toContain(`${EU} (replica)`);
  });

  it("the replica: no ReplicateKey route, and its primary named in a caveat", async () => {
    const report = whoCanAt(await scenario, EU, at("2024-05-14T10:10:00Z"), { operation: "Decrypt" });
    expect(replication(report)).toEqual([]);
    expect(report.caveats.join(" ")).toContain(`${US} (primary)`);
  });

  it("follows UpdatePrimaryRegion", async () => {
    const t = at("2024-05-14T10:35:00Z");
    expect(replication(whoCanAt(await scenario, EU, t, { operation: "Decrypt" }))).toEqual([ACCOUNT]);
    expect(replication(whoCanAt(await scenario, US, t, { operation: "Decrypt" }))).toEqual([]);
  });

  it("is not an escalation toward a management operation", async () => {
    const report = whoCanAt(await scenario, US, at("2024-05-14T10:10:00Z"), {
      operation: "ScheduleKeyDeletion",
    });
    expect(replication(report)).toEqual([]);
  });

  it("reach lists it among the account's routes to the primary", async () => {
    const entry = reach(await scenario, ACCOUNT, { at: at("2024-05-14T10:10:00Z") }).keys.find(
      (key) => key.key.arn === US,
    );
    expect(entry?.via.filter((via) => via.action === "ReplicateKey")).toHaveLength(1);
  });
});

describe("a multi-Region key whose role the trail does not show", () => {
  const MRK = KEY_ARN.replace(/key\/.*/, `key/${ID}`);
  const policy = {
    Version: "2012-10-17",
    Statement: [
      { Effect: "Allow", Principal: { AWS: `arn:aws:iam::${ACCOUNT}:root` }, Action: "kms:*", Resource: "*" },
    ],
  };
  const model = replayRecords([
    kmsRecord({
      eventName: "PutKeyPolicy",
      eventTime: "2024-03-02T10:00:00Z",
      eventID: "put-policy",
      requestParameters: { keyId: MRK, policyName: "default", policy: JSON.stringify(policy) },
      resources: KEY_RESOURCES.map((resource) => ({ ...resource, ARN: MRK })),
    }),
  ]);

  it("counts ReplicateKey in case it is the primary, and says so", async () => {
    const report = whoCanAt(await model, MRK, at("2024-03-02T10:30:00Z"), { operation: "Decrypt" });
    expect(replication(report)).toEqual([ACCOUNT]);
    expect(report.caveats.join(" ")).toMatch(/does not show whether it was the primary key/);
  });
});
