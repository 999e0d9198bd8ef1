import { describe, expect, it } from "vitest";
import { CaseModel, type UsageRow, UsageStore } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { Attributor, type UsageCall, usage, viaServiceOf } from "../../src/query/index.js";

/**
 * fixtures/scenarios/attribution (fixtures/README.md §11): one call explained by a grant, one by a key-policy
 * statement whose conditions hold (kms:ViaService, kms:CallerAccount), one by nothing, one riding a revoked
 * grant within KMS's propagation delay, and own-account calls explained by IAM delegation.
 */
const KEY = "arn:aws:kms:us-east-1:111122223333:key/5c0f8a2e-7d41-4b6e-9a3c-2e8b1f6d4a90";
const GRANT = "577a4b59b6afe597fd004694e24fe8ce35b88833a56311de1a8aaa9f7206790a";
const loaded = replayInputs(["fixtures/scenarios/attribution"]).then((data) => new CaseModel(data));

async function callAt(time: string): Promise<UsageCall> {
  const report = usage(await loaded, { key: KEY, calls: true });
  const call = report.detail?.find((entry) => entry.time === time);
  if (!call) throw new Error(`no call at ${time}`);
  return call;
}

describe("attribution of successful calls", () => {
  it("links a Decrypt whose encryption context fits the grant's constraints to that grant", async () => {
    const call = await callAt("2024-02-13T10:10:00.000Z");
    expect(call.attribution).toMatchObject({
      basis: "grant",
      conditional: false,
      candidates: [{ type: "grant", grantId: GRANT, eventIds: ["20563d9f-51df-42c1-bd80-470adfdd2e7e"] }],
    });
  });

  it("links a call made through S3 to the statement whose kms:ViaService and kms:CallerAccount hold", async () => {
    const call = await callAt("2024-02-13T10:12:00.000Z");
    expect(call.invokedBy).toBe("s3.amazonaws.com");
    expect(call.attribution).toMatchObject({
      basis: "keyPolicy",
      conditional: false,
      candidates: [
        {
          type: "keyPolicy",
          sid: "AllowBillingAppThroughS3",
          statement: 2,
          policyVersion: 1,
          conditionResult: true,
        },
      ],
    });
  });

  it("says none found for a call nothing in the replayed state explains", async () => {
    const call = await callAt("2024-02-13T10:18:00.000Z");
    expect(call.principal).toBe("arn:aws:iam::999988887777:role/Shadow");
    expect(call.attribution).toEqual({
      basis: "none",
      conditional: false,
      candidates: [],
      noneReason: "no-route",
    });
  });

  it("lets a call ride a revoked grant within the propagation delay, and says so", async () => {
    const call = await callAt("2024-02-13T10:27:30.000Z");
    expect(call.attribution?.basis).toBe("grant");
    expect(call.attribution?.candidates).toEqual([
      expect.objectContaining({ grantId: GRANT, withinPropagationDelay: true }),
    ]);
  });

  it("explains own-account calls by IAM delegation through the root statement", async () => {
    const call = await callAt("2024-02-13T10:20:00.000Z");
    expect(call.attribution).toMatchObject({
      basis: "iamDelegation",
      candidates: [{ type: "iamDelegation", account: "111122223333", sid: "Enable IAM User Permissions" }],
    });
  });

  it("does not attribute failed calls", async () => {
    const call = await callAt("2024-02-13T10:16:00.000Z");
    expect(call.errorCode).toBe("AccessDenied");
    expect(call.attribution).toBeNull();
  });

  it("aggregates per group: each call counted once under its most specific basis, with the grants and sids seen", async () => {
    const report = usage(await loaded, { key: KEY });
    const byPrincipal = Object.fromEntries(
      report.calls.map((group) => [group.principal.split(":").pop(), group]),
    );
    expect(byPrincipal["role/ReportJob"]?.attribution).toMatchObject({
      grant: 2,
      keyPolicy: 0,
      none: 0,
      grantIds: { [GRANT]: 2 },
    });
    expect(byPrincipal["role/BillingApp"]?.attribution).toMatchObject({ keyPolicy: 1, none: 0 });
    expect(byPrincipal["role/Shadow"]?.attribution).toMatchObject({
      none: 1,
      noneReasons: { "no-route": 1 },
    });
    expect(byPrincipal["role/OrdersApp"]?.attribution.iamDelegation).toBe(4);
    expect(report.caveats.join(" ")).toMatch(/1 successful call\(s\) have no grant/);
  });

  it("says the policy is unknown for a key first seen mid-trail (the demo's payments key before PutKeyPolicy)", async () => {
    const demo = new CaseModel(await replayInputs(["fixtures/demo"]));
    const report = usage(demo, {
      key: "arn:aws:kms:us-east-1:111122223333:key/a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d",
      principal: "arn:aws:iam::111122223333:role/PaymentsApi",
      to: Date.parse("2024-12-17T13:00:00Z"),
    });
    expect(report.calls.length).toBeGreaterThan(0);
    for (const group of report.calls)
      expect(group.attribution.noneReasons["policy-unknown"]).toBe(group.count);
  });
});

describe("the attribution memo", () => {
  const OTHER_KEY = "arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-000000000000";
  const callers = [
    "444455556666:role/ReportJob",
    "444455556666:role/BillingApp",
    "111122223333:role/OrdersApp",
  ];
  const contexts = [
    '{"project":"atlas"}',
    '{"Project":"atlas","file":"a.csv"}',
    '{"project":"zephyr"}',
    "{}",
    "not json",
    null,
  ];
  const shapes = [
    { operation: "Decrypt", key: KEY, destinationKey: null },
    { operation: "DescribeKey", key: KEY, destinationKey: null },
    { operation: "ReEncrypt", key: KEY, destinationKey: OTHER_KEY },
    { operation: "ReEncrypt", key: OTHER_KEY, destinationKey: KEY },
  ];

  /** Every caller, shape and context, through the grant's life, its propagation delay and after it. */
  function rows(): UsageRow[] {
    const times = ["10:06", "10:24", "10:26", "10:31"].map((hm) => Date.parse(`2024-02-13T${hm}:00Z`));
    return times.flatMap((time) =>
      callers.flatMap((caller) =>
        shapes.flatMap((shape) =>
          contexts.map((encryptionContext, i) => ({
            ...shape,
            time: time + i,
            eventId: `e-${time}-${caller}-${shape.operation}-${i}`,
            alsoEventIds: [],
            keysFromAlias: [],
            keyRef: null,
            principal: `arn:aws:iam::${caller}`,
            sessionName: null,
            invokedBy: i % 2 === 0 ? null : "s3.amazonaws.com",
            errorCode: null,
            account: "111122223333",
            region: "us-east-1",
            sourceIp: "192.0.2.51",
            encryptionContext,
          })),
        ),
      ),
    );
  }

  it("answers every call as a fresh evaluation of that call alone would", async () => {
    const store = new UsageStore();
    const calls = rows().sort((a, b) => a.time - b.time);
    for (const row of calls) store.append(row);
    const model = new CaseModel({ ...(await loaded).data, usage: store });
    const detail = usage(model, { key: KEY, calls: true }).detail ?? [];
    expect(detail).toHaveLength(calls.length);
    const fresh = calls.map((row) =>
      new Attributor(model).attribute({
        ...row,
        key: KEY,
        side: row.key === KEY ? "source" : "destination",
      }),
    );
    expect(detail.map((call) => call.attribution)).toEqual(fresh);
    expect(fresh.filter((answer) => answer.basis === "grant").length).toBeGreaterThan(0);
  });
});

describe("viaServiceOf", () => {
  it("turns invokedBy into the regional endpoint kms:ViaService names", () => {
    expect(viaServiceOf("s3.amazonaws.com", "s3.amazonaws.com", "eu-west-1")).toBe(
      "s3.eu-west-1.amazonaws.com",
    );
  });
  it("reads the service from the source when invokedBy is missing", () => {
    expect(viaServiceOf(null, "secretsmanager.amazonaws.com", "us-east-1")).toBe(
      "secretsmanager.us-east-1.amazonaws.com",
    );
  });
  it("knows a direct call has none, and leaves AWS Internal undecided", () => {
    expect(viaServiceOf(null, "198.51.100.23", "us-east-1")).toBeNull();
    expect(viaServiceOf("AWS Internal", null, "us-east-1")).toBeUndefined();
  });
});
