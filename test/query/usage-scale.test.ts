import { describe, expect, it } from "vitest";
import { CaseModel, UsageStore } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { timeline, usage } from "../../src/query/index.js";

/**
 * Usage and timeline stay exact at scale: a million synthetic usage rows (the demo's model with its usage
 * store replaced), spread over 20 keys and 40 principals. Their latency is measured by `npm run bench`, not here.
 */
const ROWS = 1_000_000;
const KEY = "arn:aws:kms:us-east-1:111122223333:key/907103ba-2cd9-4153-989a-e5e47532ac3f";

async function bigModel(): Promise<CaseModel> {
  const data = await replayInputs(["fixtures/demo"]);
  const store = new UsageStore();
  const start = Date.parse("2024-12-17T08:00:00Z");
  for (let i = 0; i < ROWS; i++) {
    const key =
      i % 20 === 0
        ? KEY
        : `arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-${String(i % 20).padStart(12, "0")}`;
    store.append({
      time: start + i * 30,
      eventId: `e-${i}`,
      alsoEventIds: [],
      keysFromAlias: [],
      operation: i % 3 === 0 ? "Decrypt" : "GenerateDataKey",
      key,
      keyRef: null,
      destinationKey: null,
      principal: `arn:aws:iam::111122223333:role/App${i % 40}`,
      sessionName: `s-${i % 7}`,
      invokedBy: null,
      errorCode: i % 97 === 0 ? "AccessDenied" : null,
      account: "111122223333",
      region: "us-east-1",
      sourceIp: "192.0.2.10",
      encryptionContext: i % 2 === 0 ? '{"app":"payments"}' : null,
    });
  }
  return new CaseModel({ ...data, usage: store });
}

describe("usage and timeline over a million rows", () => {
  const loaded = bigModel();

  it("answers usage for one key, attribution included, counting every call once", async () => {
    const model = await loaded;
    const report = usage(model, { key: KEY });
    expect(report.totals.calls).toBe(ROWS / 20);
    expect(report.calls.reduce((sum, group) => sum + group.count + group.denied, 0)).toBe(ROWS / 20);
    expect(
      report.calls.every(
        (group) =>
          group.attribution.keyPolicy +
            group.attribution.iamDelegation +
            group.attribution.grant +
            group.attribution.none ===
          group.count,
      ),
    ).toBe(true);
  });

  it("answers a time window exactly, half-open", async () => {
    const model = await loaded;
    const from = Date.parse("2024-12-17T08:00:00Z") + 500_000 * 30;
    const report = usage(model, { from, to: from + 30 * 1000 });
    expect(report.totals.calls).toBe(1000);
  });

  it("collapses a key's year of usage into a few runs", async () => {
    const model = await loaded;
    const report = timeline(model, { key: KEY });
    const runs = report.entries.filter((entry) => entry.kind === "usage");
    expect(runs.reduce((sum, run) => sum + run.count, 0)).toBe(ROWS / 20);
    expect(runs.length).toBeLessThan(200);
  });
});
