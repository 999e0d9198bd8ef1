import { describe, expect, it } from "vitest";
import { CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import {
  KEY_OPERATIONS,
  keyAt,
  questionContext,
  type WhoCanReport,
  whoCanAt,
} from "../../src/query/index.js";

/**
 * who-can over the scenario trails (fixtures/README.md), at instants one second before and at each change:
 * the answer must follow the policy versions, grants, aliases and key states the replay holds.
 */
const fixtures = new URL("../../fixtures/", import.meta.url).pathname;
const models = new Map<string, Promise<CaseModel>>();
function load(path: string): Promise<CaseModel> {
  const cached = models.get(path) ?? replayInputs([`${fixtures}${path}`]).then((data) => new CaseModel(data));
  models.set(path, cached);
  return cached;
}

const ACCOUNT = "111122223333";
const at = (iso: string) => Date.parse(iso);
const entry = (report: WhoCanReport, principal: string) =>
  report.principals.find((candidate) => candidate.principal === principal);
const names = (report: WhoCanReport) => report.principals.map((candidate) => candidate.principal);

describe("who-can on scenarios/grants (CreateGrant, RetireGrant, RevokeGrant)", () => {
  const KEY = "arn:aws:kms:us-east-1:111122223333:key/fd7c1460-4789-437d-9aff-d3839000b365";
  const REPORT_WORKER = "arn:aws:iam::111122223333:role/ReportWorker";
  const AUDITOR = "arn:aws:iam::999988887777:role/ExternalAuditor";
  const SLR = "arn:aws:iam::111122223333:role/AWSServiceRoleForAutoScaling";
  const decrypt = async (iso: string, context?: Record<string, string>) => {
    const ctx = context ? questionContext({ context }) : undefined;
    return whoCanAt(await load("scenarios/grants"), KEY, at(iso), {
      operation: "Decrypt",
      ...(ctx ? { context: ctx } : {}),
    });
  };

  it("lists the grantee from the CreateGrant instant on, with the grant's eventIds and constraints", async () => {
    expect(names(await decrypt("2024-06-18T09:04:59Z"))).not.toContain(REPORT_WORKER);
    const report = await decrypt("2024-06-18T09:05:00Z");
    const worker = entry(report, REPORT_WORKER);
    const grant = (await load("scenarios/grants")).grantsById.get(report.grantIds[0] ?? "");
    expect(worker?.via).toEqual([
      expect.objectContaining({
        type: "grant",
        grantId: grant?.grantId,
        constraints: { encryptionContextSubset: { Department: "Finance" }, encryptionContextEquals: null },
        eventIds: grant?.openedBy,
      }),
    ]);
    expect(grant?.openedBy.length).toBeGreaterThan(0);
    // The constraints cannot be checked without the request's encryption context.
    expect(worker?.conditional).toBe(true);
    expect(report.caveats.join(" ")).toMatch(/not decided/);
  });

  it("decides grant constraints when the question gives the encryption context", async () => {
    const finance = await decrypt("2024-06-18T09:05:00Z", { "kms:EncryptionContext:Department": "Finance" });
    expect(entry(finance, REPORT_WORKER)?.conditional).toBe(false);
    const hr = await decrypt("2024-06-18T09:05:00Z", { "kms:EncryptionContext:Department": "HR" });
    expect(names(hr)).not.toContain(REPORT_WORKER);
  });

  it("lists a grantee outside the key's account, then drops grants at RetireGrant and RevokeGrant", async () => {
    expect(names(await decrypt("2024-06-18T09:14:59Z"))).not.toContain(AUDITOR);
    expect(names(await decrypt("2024-06-18T09:15:00Z"))).toEqual(
      expect.arrayContaining([AUDITOR, REPORT_WORKER, SLR]),
    );
    expect(names(await decrypt("2024-06-18T09:39:59Z"))).toContain(REPORT_WORKER);
    expect(names(await decrypt("2024-06-18T09:40:00Z"))).not.toContain(REPORT_WORKER);
    expect(names(await decrypt("2024-06-18T09:44:59Z"))).toContain(AUDITOR);
    const revoked = await decrypt("2024-06-18T09:45:00Z");
    expect(names(revoked)).not.toContain(AUDITOR);
    expect(names(revoked)).toContain(SLR);
  });

  it("marks principals that could grant themselves the operation as escalation", async () => {
    const report = await decrypt("2024-06-18T09:10:00Z");
    // The service-linked role's grant includes CreateGrant; it also holds Decrypt directly.
    expect(entry(report, SLR)?.via.map((via) => via.type)).toEqual(["grant", "escalation"]);
    // Deployer may only CreateGrant for AWS resources: no Decrypt of its own, a conditional escalation.
    const deployer = entry(report, "arn:aws:iam::111122223333:role/Deployer");
    expect(deployer).toMatchObject({ operations: [], conditional: true });
    expect(deployer?.via).toEqual([
      expect.objectContaining({
        type: "escalation",
        action: "CreateGrant",
        sid: "Allow attachment of persistent resources",
      }),
    ]);
    expect(entry(report, "arn:aws:iam::111122223333:user/alice")?.via.map((via) => via.action)).toEqual([
      "PutKeyPolicy",
      "CreateGrant",
    ]);
  });
});

describe("who-can on scenarios/key-lifecycle (PutKeyPolicy, DisableKey, deletion)", () => {
  const KEY = "arn:aws:kms:us-east-1:111122223333:key/df521c30-b8ac-457e-bec9-b87dda67bb05";
  const ORDERS = "arn:aws:iam::111122223333:role/OrdersApp";
  const ADMIN = "arn:aws:iam::111122223333:user/kms-admin";
  const ask = async (iso: string, operation?: string) =>
    whoCanAt(await load("scenarios/key-lifecycle"), KEY, at(iso), operation ? { operation } : {});

  it("answers every key operation per principal without --op", async () => {
    const report = await ask("2024-03-04T13:05:00Z");
    expect(report.operation).toBe("*");
    expect(entry(report, ACCOUNT)).toMatchObject({
      kind: "account",
      operations: [...KEY_OPERATIONS],
      conditional: false,
    });
    expect(entry(report, ACCOUNT)?.via[0]).toMatchObject({ type: "iamDelegation", account: ACCOUNT });
    const orders = entry(report, ORDERS)?.operations ?? [];
    expect(orders).toEqual(
      expect.arrayContaining(["Decrypt", "Encrypt", "ReEncryptFrom", "ReEncryptTo", "DescribeKey"]),
    );
    expect(orders).not.toContain("PutKeyPolicy");
    const admin = entry(report, ADMIN)?.operations ?? [];
    expect(admin).toContain("PutKeyPolicy");
    expect(admin).not.toContain("Decrypt");
  });

  it("blocks cryptographic operations from DisableKey on, but not management ones", async () => {
    expect(await ask("2024-03-04T13:11:59Z", "Decrypt")).toMatchObject({ usable: true, blockedBy: null });
    const disabled = await ask("2024-03-04T13:12:00Z", "Decrypt");
    expect(disabled).toMatchObject({ usable: false, blockedBy: "Disabled", blockedOperations: ["Decrypt"] });
    expect(names(disabled)).toContain(ORDERS);
    expect(await ask("2024-03-04T13:12:00Z", "EnableKey")).toMatchObject({ usable: true, blockedBy: null });
    expect(await ask("2024-03-04T13:16:45Z", "Decrypt")).toMatchObject({ usable: true });
    const all = await ask("2024-03-04T13:12:00Z");
    expect(all.blockedOperations).toContain("Sign");
    expect(all.blockedOperations).not.toContain("EnableKey");
    // CancelKeyDeletion leaves the key Disabled.
    expect(await ask("2024-03-04T13:24:30Z", "Decrypt")).toMatchObject({ blockedBy: "Disabled" });
  });

  it("says when the deletion date has passed before the trail's DeleteKey, as key --at does", async () => {
    const report = await ask("2024-03-11T13:50:03Z", "Decrypt");
    const caveat = report.caveats.find((text) => text.startsWith("the deletion date"));
    expect(caveat).toBe(
      "the deletion date 2024-03-11T13:50:00.000Z has passed and the trail holds no DeleteKey for the key by 2024-03-11T13:50:03.000Z: KMS may already have deleted it; the trail's DeleteKey comes at 2024-03-11T13:50:07.000Z",
    );
    const model = await load("scenarios/key-lifecycle");
    expect(keyAt(model, KEY, at("2024-03-11T13:50:03Z")).caveats).toContain(caveat);
    expect((await ask("2024-03-11T13:49:59Z")).caveats.join(" ")).not.toMatch(/deletion date/);
  });

  it("follows PutKeyPolicy: the new version's statements and eventIds from 13:31:00", async () => {
    const model = await load("scenarios/key-lifecycle");
    const put = (model.eventsByKey.get(KEY) ?? []).find((event) => event.name === "PutKeyPolicy");
    const before = await ask("2024-03-04T13:30:59Z", "Decrypt");
    expect(before.policy?.version).toBe(1);
    expect(entry(before, ORDERS)?.via.map((via) => via.type)).toEqual(["keyPolicy"]);
    const after = await ask("2024-03-04T13:31:00Z", "Decrypt");
    expect(after.policy).toMatchObject({ version: 2, eventIds: [put?.eventId] });
    const orders = entry(after, ORDERS);
    expect(orders?.via.every((via) => via.eventIds.includes(put?.eventId ?? "?"))).toBe(true);
    expect(orders?.via.find((via) => via.type === "escalation")).toMatchObject({
      action: "CreateGrant",
      conditions: { Bool: { "kms:GrantIsForAWSResource": "true" } },
      conditionResult: "unknown",
    });
  });

  it("adds the CreateGrant grant at 13:45:30 and refuses everything once the key is deleted", async () => {
    expect(entry(await ask("2024-03-04T13:45:29Z", "Decrypt"), ORDERS)?.via.map((v) => v.type)).toEqual([
      "keyPolicy",
      "escalation",
    ]);
    expect(entry(await ask("2024-03-04T13:45:30Z", "Decrypt"), ORDERS)?.via.map((v) => v.type)).toEqual([
      "keyPolicy",
      "grant",
      "escalation",
    ]);
    expect(await ask("2024-03-04T13:50:00Z", "Decrypt")).toMatchObject({
      usable: false,
      blockedBy: "PendingDeletion",
    });
    const deleted = await ask("2024-03-11T13:50:07Z");
    expect(deleted).toMatchObject({ usable: false, blockedBy: "Deleted", grantIds: [] });
    expect(deleted.blockedOperations).toEqual([...KEY_OPERATIONS]);
  });

  it("says the key did not exist before its CreateKey", async () => {
    const report = await ask("2024-03-04T12:59:00Z", "Decrypt");
    expect(report).toMatchObject({ usable: false, blockedBy: "NotCreated", principals: [] });
    expect(report.caveats.join(" ")).toMatch(/did not exist yet/);
  });
});

describe("who-can on scenarios/aliases (UpdateAlias)", () => {
  const A = "arn:aws:kms:us-east-1:111122223333:key/1d4bed92-81ba-42b0-841b-505de2b6982f";
  const B = "arn:aws:kms:us-east-1:111122223333:key/39aabaf4-ef4d-40af-a058-583aa5b20ffa";

  it("resolves the alias as of the question's time", async () => {
    const model = await load("scenarios/aliases");
    expect(whoCanAt(model, "alias/app", at("2024-07-23T11:19:59Z")).key).toMatchObject({
      arn: A,
      aliases: ["alias/app"],
    });
    expect(whoCanAt(model, "alias/app", at("2024-07-23T11:20:00Z")).key).toMatchObject({
      arn: B,
      aliases: ["alias/app"],
    });
    expect(() => whoCanAt(model, "alias/app", at("2024-07-23T11:40:00Z"))).toThrow(
      expect.objectContaining({ code: "not-found" }),
    );
  });

  it("reports the inferred default policy as IAM delegation to the key's account", async () => {
    const report = whoCanAt(await load("scenarios/aliases"), A, at("2024-07-23T11:10:00Z"), {
      operation: "kms:decrypt",
    });
    expect(report.operation).toBe("Decrypt");
    expect(report.policy).toMatchObject({ version: 1, confidence: "inferred" });
    expect(report.principals.map((p) => [p.principal, p.via.map((v) => v.type)])).toEqual([
      [ACCOUNT, ["iamDelegation", "escalation", "escalation"]],
    ]);
  });
});

describe("who-can on a key first seen mid-trail (unknown policy)", () => {
  const KEY = "arn:aws:kms:eu-west-1:111122223333:key/ac337639-b7fa-497c-8eba-9342fc0b7d47";
  const ask = async (iso: string, operation?: string) =>
    whoCanAt(await load("scenarios/first-seen-mid-trail"), KEY, at(iso), operation ? { operation } : {});

  it("lists grants only and says the policy is unknown before the first PutKeyPolicy", async () => {
    const report = await ask("2024-10-15T08:10:00Z", "Decrypt");
    expect(report).toMatchObject({
      policy: null,
      principals: [],
      usable: true,
      key: { state: "Unknown", stateKnown: false },
    });
    const caveats = report.caveats.join("\n");
    expect(caveats).toMatch(/policy in force is unknown.*grants only/);
    expect(caveats).toMatch(/state .* is not known.*assumes/);
    expect(caveats).toMatch(/no CreateKey.*grants made before/);
  });

  it("answers from the first known version on", async () => {
    expect((await ask("2024-10-15T08:29:59Z")).policy).toBeNull();
    const report = await ask("2024-10-15T08:30:00Z");
    expect(report.policy?.version).toBe(1);
    expect(names(report)).toEqual([ACCOUNT, "arn:aws:iam::111122223333:role/SecurityResponder"]);
    expect(report.caveats.join(" ")).not.toMatch(/policy in force is unknown/);
    expect(report).toMatchObject({ usable: false, blockedBy: "Disabled" });
  });
});

describe("who-can on the demo incident (fixtures/README.md)", () => {
  const P = "arn:aws:kms:us-east-1:111122223333:key/a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d";
  const OUTSIDER = "999988887777";
  const DATA_SYNC = "arn:aws:iam::999988887777:role/data-sync";
  const ask = async (iso: string, question: Parameters<typeof whoCanAt>[3] = {}) =>
    whoCanAt(await load("demo"), P, at(iso), question);

  it("at 13:45 includes the outside account by delegation, * with CallerAccount, and the data-sync grant", async () => {
    const report = await ask("2024-12-17T13:45:00Z");
    expect(entry(report, OUTSIDER)?.via[0]).toMatchObject({ type: "iamDelegation", account: OUTSIDER });
    const anyone = entry(report, "*");
    expect(anyone).toMatchObject({ kind: "any", conditional: true });
    expect(anyone?.via[0]?.conditions).toEqual({ StringEquals: { "kms:CallerAccount": OUTSIDER } });
    expect(entry(report, DATA_SYNC)?.via).toEqual([
      expect.objectContaining({
        type: "grant",
        grantId: expect.stringMatching(/^a8e26855/),
        operations: ["Decrypt", "DescribeKey", "ReEncryptFrom"],
      }),
    ]);
  });

  it("decides the CallerAccount condition when the question gives the caller account", async () => {
    const outsider = await ask("2024-12-17T13:45:00Z", {
      operation: "Decrypt",
      context: questionContext({ callerAccount: OUTSIDER }),
    });
    expect(entry(outsider, "*")?.conditional).toBe(false);
    const insider = await ask("2024-12-17T13:45:00Z", {
      operation: "Decrypt",
      context: questionContext({ callerAccount: ACCOUNT }),
    });
    expect(names(insider)).not.toContain("*");
  });

  it("knows no policy before the attacker's PutKeyPolicy at 13:10, and flags the logging gap", async () => {
    expect((await ask("2024-12-17T13:09:59Z")).principals).toEqual([]);
    const inGap = await ask("2024-12-17T13:30:00Z");
    expect(inGap.caveats.join(" ")).toMatch(/falls in a gap/);
    expect(await ask("2024-12-17T14:00:00Z", { operation: "Decrypt" })).toMatchObject({
      usable: false,
      blockedBy: "PendingDeletion",
    });
  });
});
