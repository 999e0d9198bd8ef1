import { describe, expect, it } from "vitest";
import { type CaseData, CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { type ReachReport, reach } from "../../src/query/index.js";

/** reach over the scenario trails and the demo (fixtures/README.md). */
const fixtures = new URL("../../fixtures/", import.meta.url).pathname;
const trails = new Map<string, Promise<CaseData>>();
function trail(path: string): Promise<CaseData> {
  const cached = trails.get(path) ?? replayInputs([`${fixtures}${path}`]);
  trails.set(path, cached);
  return cached;
}
const load = async (path: string) => new CaseModel(await trail(path));
const at = (iso: string) => Date.parse(iso);
const keyOf = (report: ReachReport, suffix: string) =>
  report.keys.find((entry) => entry.key.arn.endsWith(suffix));

describe("reach on the demo incident", () => {
  const P = "a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d";
  const N = "907103ba-2cd9-4153-989a-e5e47532ac3f";
  // The session the outsider's calls are logged under (user mallory assumed data-sync as sync-01): asked about
  // a session, reach counts that session's calls only.
  const SESSION = "arn:aws:sts::999988887777:assumed-role/data-sync/sync-01";
  const window = { from: at("2024-12-17T12:00:00Z"), to: at("2024-12-17T15:00:00Z") };

  it("reads an assumed-role session as its role and finds both keys opened to the outsider, and the key it used", async () => {
    const report = reach(await load("demo"), SESSION, window);
    expect(report).toMatchObject({
      principal: "arn:aws:iam::999988887777:role/data-sync",
      kind: "role",
      from: "2024-12-17T12:00:00.000Z",
      to: "2024-12-17T15:00:00.000Z",
    });
    // Its own key, where it ReEncrypted to, under a policy the trail never shows: no route, but used.
    const OWN = "3ec7ce4a-0e8c-4fc4-8e19-de67a057663e";
    expect(report.keys.map((entry) => entry.key.arn.slice(-36)).sort()).toEqual([P, N, OWN].sort());
    expect(keyOf(report, OWN)).toMatchObject({
      operations: [],
      via: [],
      conditional: false,
      used: [{ operation: "ReEncryptTo", count: 4, denied: 0 }],
    });
    expect(report.caveats.join(" ")).toMatch(/1 key\(s\) used in the window with no route of its own/);
    const payments = keyOf(report, P);
    expect(new Set(payments?.via.map((via) => via.type))).toEqual(
      new Set(["iamDelegation", "keyPolicy", "grant", "escalation"]),
    );
    expect(payments?.via.every((via) => via.eventIds.length > 0)).toBe(true);
    expect(payments?.key.states).toEqual(["Unknown", "PendingDeletion"]);
  });

  it("counts what it did use, successful and failed, per operation", async () => {
    const payments = keyOf(reach(await load("demo"), SESSION, window), P);
    expect(payments?.used).toEqual([
      {
        operation: "Decrypt",
        count: 11,
        denied: 4,
        keyFromAlias: 0,
        first: "2024-12-17T13:03:00.000Z",
        last: "2024-12-17T14:05:30.000Z",
      },
      {
        operation: "ReEncryptFrom",
        count: 4,
        denied: 0,
        keyFromAlias: 0,
        first: "2024-12-17T13:48:40.000Z",
        last: "2024-12-17T13:51:40.000Z",
      },
    ]);
    expect(keyOf(reach(await load("demo"), SESSION, window), N)?.used).toEqual([]);
  });

  it("finds nothing before the PutKeyPolicy and the grant, and says P's policy was unknown", async () => {
    const report = reach(await load("demo"), SESSION, { at: at("2024-12-17T13:05:00Z") });
    expect(report.keys).toEqual([]);
    expect(report.usageWindow).toEqual({ from: null, to: null });
    expect(report.caveats.join(" ")).toMatch(/unknown key policy.*a88cd345/);
    // The ReEncrypts into the outsider's own key fall under a policy the trail never shows.
    expect(report.caveats.join(" ")).toMatch(/4 successful call\(s\) fell under an unknown key policy/);
  });

  it("answers for an account: its delegation", async () => {
    const report = reach(await load("demo"), "999988887777", { at: at("2024-12-17T13:45:00Z") });
    expect(report.kind).toBe("account");
    expect(keyOf(report, P)?.via.find((via) => via.type === "iamDelegation")).toMatchObject({
      account: "999988887777",
    });
  });
});

describe("reach on scenarios/grants", () => {
  const AUDITOR = "arn:aws:iam::999988887777:role/ExternalAuditor";

  it("counts a key usable at any instant of the window, not only at its ends", async () => {
    const model = await load("scenarios/grants");
    // The grant holds over [09:15, 09:45): neither end of the window.
    const report = reach(model, AUDITOR, {
      from: at("2024-06-18T09:00:00Z"),
      to: at("2024-06-18T09:50:00Z"),
    });
    expect(report.keys).toHaveLength(1);
    expect(report.keys[0]).toMatchObject({ operations: ["Decrypt", "DescribeKey"], conditional: false });
    expect(report.keys[0]?.via.map((via) => [via.type, via.grantId?.slice(0, 8)])).toEqual([
      ["grant", "0e3a168c"],
    ]);
    expect(report.keys[0]?.used).toEqual([
      expect.objectContaining({ operation: "Decrypt", count: 1, denied: 1 }),
    ]);
    expect(reach(model, AUDITOR, { at: at("2024-06-18T09:14:59Z") }).keys).toEqual([]);
    expect(reach(model, AUDITOR, { at: at("2024-06-18T09:45:00Z") }).keys).toEqual([]);
  });
});

describe("reach on scenarios/key-lifecycle", () => {
  const A = "df521c30-b8ac-457e-bec9-b87dda67bb05";
  const ORDERS = "arn:aws:iam::111122223333:role/OrdersApp";

  it("leaves out cryptographic operations while the key is disabled", async () => {
    const model = await load("scenarios/key-lifecycle");
    const before = keyOf(reach(model, ORDERS, { at: at("2024-03-04T13:11:59Z") }), A);
    expect(before?.operations).toContain("Decrypt");
    const disabled = keyOf(reach(model, ORDERS, { at: at("2024-03-04T13:12:00Z") }), A);
    expect(disabled?.operations).not.toContain("Decrypt");
    expect(disabled?.operations).toContain("DescribeKey");
    expect(disabled?.key.state).toBe("Disabled");
  });

  it("flags successful calls nothing in the replayed state explains", async () => {
    const data = await trail("scenarios/key-lifecycle");
    // Policy v1 rewritten to name only the key administrator: OrdersApp's early calls lose every route.
    const keys = data.keys.map((key) => {
      const [first, ...rest] = key.policies;
      if (!key.arn.endsWith(A) || !first) return key;
      const document = first.document as { Statement: { Sid?: string }[] };
      const admins = document.Statement.filter(
        (statement) => statement.Sid === "Allow access for Key Administrators",
      );
      return { ...key, policies: [{ ...first, document: { ...document, Statement: admins } }, ...rest] };
    });
    const report = reach(new CaseModel({ ...data, keys }), ORDERS, {
      from: at("2024-03-04T13:00:00Z"),
      to: at("2024-03-04T14:00:00Z"),
    });
    expect(report.usedButNotExplained).toEqual([
      expect.objectContaining({ key: expect.stringContaining(A), operation: "Encrypt", count: 1 }),
      expect.objectContaining({
        key: expect.stringContaining(A),
        operation: "Decrypt",
        count: 1,
        last: "2024-03-04T13:07:30.000Z",
      }),
    ]);
    expect(report.usedButNotExplained.every((use) => use.eventIds.length === use.count)).toBe(true);
    // The Decrypt at 13:47:05 rides policy v2 and the grant: explained, and the key is listed.
    expect(keyOf(report, A)?.used.find((use) => use.operation === "Decrypt")?.count).toBe(2);
  });
});

describe("reach counts the calls usage --principal finds", () => {
  const SESSIONS_KEY = "99f47a65-8256-4543-8c5c-0de11048e5f2";

  it("for an account, those of every principal of the account", async () => {
    const model = await load("scenarios/sessions");
    const partner = reach(model, "444455556666", { at: at("2024-01-16T08:15:00Z") });
    expect(keyOf(partner, SESSIONS_KEY)?.used).toMatchObject([{ operation: "Decrypt", count: 2, denied: 0 }]);
    // The key's own account made calls (role Batch, the admin): it is not "an account that made no call".
    const own = reach(model, "111122223333", { at: at("2024-01-16T08:15:00Z") });
    expect(own.caveats.join(" ")).not.toMatch(/made no call/);
    expect(own.caveats.join(" ")).toMatch(/1 key\(s\) used in the trail but not usable by it at T/);
  });

  it("for a service, the calls it made for its callers, on a key it has no route to", async () => {
    const model = await load("scenarios/grants");
    const report = reach(model, "autoscaling.amazonaws.com", {
      from: at("2024-06-18T09:00:00Z"),
      to: at("2024-06-18T10:00:00Z"),
    });
    expect(report.keys).toMatchObject([
      {
        key: { arn: expect.stringMatching(/fd7c1460-4789-437d-9aff-d3839000b365$/) },
        operations: [],
        used: [{ operation: "Decrypt", count: 1 }],
      },
    ]);
  });
});
