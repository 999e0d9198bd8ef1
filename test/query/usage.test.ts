import { describe, expect, it } from "vitest";
import { CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { usage } from "../../src/query/index.js";

const model = (dir: string) => replayInputs([dir]).then((data) => new CaseModel(data));
const crossAccount = model("fixtures/scenarios/cross-account");
const attribution = model("fixtures/scenarios/attribution");
const KEY = "arn:aws:kms:us-east-1:111122223333:key/5c0f8a2e-7d41-4b6e-9a3c-2e8b1f6d4a90";

describe("usage grouping and dedup", () => {
  it("counts a cross-account Decrypt logged in both accounts once, and keeps both eventIds", async () => {
    const report = usage(await crossAccount, {});
    expect(report.calls).toHaveLength(1);
    const [decrypt] = report.calls;
    expect(decrypt).toMatchObject({
      principal: "arn:aws:iam::444455556666:role/PartnerApp",
      key: "arn:aws:kms:us-east-1:111122223333:key/99522315-9bde-493a-b302-fc0167355851",
      operation: "Decrypt",
      count: 1,
      denied: 0,
      first: "2024-08-06T15:10:00.000Z",
      last: "2024-08-06T15:10:00.000Z",
    });
    expect(decrypt?.eventIds).toHaveLength(2);
    expect(new Set(decrypt?.eventIds).size).toBe(2);
    expect(decrypt?.attribution).toMatchObject({ iamDelegation: 1, none: 0 });
  });

  it("groups by the role, keeping session names as detail and the invoking service beside it", async () => {
    const report = usage(await attribution, { principal: "arn:aws:iam::444455556666:role/ReportJob" });
    expect(report.calls).toHaveLength(1);
    expect(report.calls[0]?.sessions).toEqual(["report-7", "report-8", "report-9"]);
    const billing = usage(await attribution, {
      principal: "arn:aws:sts::444455556666:assumed-role/BillingApp/s3-export",
    });
    expect(billing.calls[0]?.principal).toBe("arn:aws:iam::444455556666:role/BillingApp");
    expect(billing.calls[0]?.services).toEqual(["s3.amazonaws.com"]);
  });

  it("counts denied and failed calls apart, with a breakdown by error code", async () => {
    const report = usage(await attribution, { key: KEY });
    // `denied` keeps its documented meaning (every failure); `accessDenied` is what findings call denied.
    expect(report.totals).toEqual({
      calls: 11,
      successful: 8,
      denied: 3,
      failed: 3,
      accessDenied: 2,
      groups: 4,
    });
    const orders = report.calls.find((group) => group.operation === "Encrypt");
    expect(orders).toMatchObject({
      count: 4,
      denied: 1,
      failed: 1,
      accessDenied: 0,
      errors: { DisabledException: 1 },
    });
    const denied = report.calls
      .filter((group) => group.errors.AccessDenied === 1)
      .map((group) => group.principal);
    expect(denied.sort()).toEqual([
      "arn:aws:iam::444455556666:role/BillingApp",
      "arn:aws:iam::444455556666:role/ReportJob",
    ]);
  });

  it("filters by account, operation and a half-open window", async () => {
    const m = await attribution;
    expect(
      usage(m, { principal: "444455556666" })
        .calls.map((group) => group.principal)
        .sort(),
    ).toEqual(["arn:aws:iam::444455556666:role/BillingApp", "arn:aws:iam::444455556666:role/ReportJob"]);
    expect(usage(m, { operation: "encrypt" }).totals.calls).toBe(5);
    // As who-can takes it: the IAM action's name, with its service prefix.
    expect(usage(m, { operation: " KMS:Encrypt" }).totals.calls).toBe(5);
    const window = usage(m, {
      from: Date.parse("2024-02-13T10:20:00Z"),
      to: Date.parse("2024-02-13T10:22:00Z"),
    });
    expect(window.totals.calls).toBe(2);
    expect(window.calls[0]?.first).toBe("2024-02-13T10:20:00.000Z");
  });

  it("resolves an alias to the keys it named, and refuses an unknown principal form", async () => {
    const m = await attribution;
    expect(usage(m, { key: "alias/billing-exports" }).query.keys).toEqual([KEY]);
    expect(() => usage(m, { principal: "not a principal" })).toThrow(/principal/);
  });

  it("keeps the first and last five eventIds of a long group and says how many it left out", async () => {
    const demo = await model("fixtures/demo");
    const report = usage(demo, {
      principal: "arn:aws:iam::999988887777:role/data-sync",
      operation: "Decrypt",
    });
    const group = report.calls.find((g) => g.key?.endsWith("a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d"));
    expect(group).toBeDefined();
    const calls = (group?.count ?? 0) + (group?.denied ?? 0);
    expect(calls).toBeGreaterThan(10);
    expect(group?.eventIdsOmitted).toBe(calls - 10);
  });

  it("lists the destination key of a ReEncrypt as used too", async () => {
    const demo = await model("fixtures/demo");
    const report = usage(demo, { operation: "ReEncrypt" });
    expect(report.calls.map((group) => group.keyRole).sort()).toEqual(["destination", "key"]);
    expect(report.calls.find((group) => group.keyRole === "destination")?.key).toMatch(
      /999988887777:key\/3ec7ce4a/,
    );
  });
});

describe("usage caveats", () => {
  it("warns when the window overlaps a coverage gap, and not for a window clear of it", async () => {
    const demo = await model("fixtures/demo");
    const gap = (caveats: string[]) => caveats.filter((caveat) => caveat.includes("logging-stopped"));
    expect(gap(usage(demo, {}).caveats)).toHaveLength(1);
    expect(gap(usage(demo, { to: Date.parse("2024-12-17T13:00:00Z") }).caveats)).toEqual([]);
  });
});

describe("usage filters that match nothing", () => {
  it("says when no call anywhere has the operation or principal asked for (a typo), listing what was logged", async () => {
    const report = usage(await crossAccount, { operation: "Frobnicate" });
    expect(report.totals.calls).toBe(0);
    expect(report.caveats[0]).toMatch(
      /^no call in this case has operation "Frobnicate"; the operations logged are: .*Decrypt/,
    );
    const nobody = usage(await crossAccount, { principal: "arn:aws:iam::111122223333:role/data-synk" });
    expect(nobody.caveats[0]).toMatch(
      /^no call in this case was made by "arn:aws:iam::111122223333:role\/data-synk"/,
    );
  });

  it("says nothing of the kind when the filter matches calls outside the window", async () => {
    const report = usage(await crossAccount, { operation: "Decrypt", from: 0, to: 1 });
    expect(report.totals.calls).toBe(0);
    expect(report.caveats.join(" ")).not.toMatch(/no call in this case/);
  });
});
