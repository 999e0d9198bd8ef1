import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { gapsInWindow } from "../../src/query/gaps.js";
import { computeGaps, gapCaveats } from "../../src/query/index.js";
import { s3Record, useTempDir } from "../ingest/helpers.js";

const fixture = (path: string) => new URL(`../../fixtures/${path}`, import.meta.url).pathname;
const load = async (path: string) => new CaseModel(await replayInputs([fixture(path)]));
const at = (t: string) => Date.parse(t);
const window = (gap: { from: number; to: number | null; reason: string }) => ({
  reason: gap.reason,
  from: new Date(gap.from).toISOString(),
  to: gap.to === null ? null : new Date(gap.to).toISOString(),
});

describe("gaps of scenarios/trail-control", async () => {
  const model = await load("scenarios/trail-control");
  const trailGaps = computeGaps(model).filter((gap) => gap.keyArn === null);

  it("finds the stopped, KMS-excluded and deleted windows the README lists, and nothing else", () => {
    expect(trailGaps.map((gap) => ({ account: gap.account, region: gap.region, ...window(gap) }))).toEqual([
      {
        account: "111122223333",
        region: "us-east-1",
        reason: "logging-stopped",
        from: "2024-12-03T09:20:00.000Z",
        to: "2024-12-03T09:50:00.000Z",
      },
      {
        account: "111122223333",
        region: "us-east-1",
        reason: "kms-excluded",
        from: "2024-12-03T10:00:00.000Z",
        to: "2024-12-03T10:40:00.000Z",
      },
      {
        account: "111122223333",
        region: "us-east-1",
        reason: "trail-deleted",
        from: "2024-12-03T11:00:00.000Z",
        to: null,
      },
    ]);
  });

  it("cites the StopLogging and StartLogging records as evidence", () => {
    const stopped = trailGaps.find((gap) => gap.reason === "logging-stopped");
    const names = stopped?.eventIds.map((id) => model.data.events.find((e) => e.eventId === id)?.name);
    expect(names).toEqual(["StopLogging", "StartLogging"]);
  });

  it("marks the key first seen by a Decrypt as unknown until an event sets its state", () => {
    const unknown = computeGaps(model).filter((gap) => gap.reason === "unknown-key-state");
    expect(unknown).toHaveLength(1);
    expect(unknown[0]?.confidence).toBe("unknown");
  });

  it("gives a caveat inside a window and none between windows", () => {
    expect(gapCaveats(model, "111122223333", "us-east-1", at("2024-12-03T09:30:00Z"))).toEqual([
      expect.stringContaining("logging-stopped"),
    ]);
    expect(gapCaveats(model, "111122223333", "us-east-1", at("2024-12-03T10:20:00Z"))).toEqual([
      expect.stringContaining("kms-excluded"),
    ]);
    expect(gapCaveats(model, "111122223333", "us-east-1", at("2024-12-03T09:55:00Z"))).toEqual([]);
  });

  it("says so when asked about an account or Region it never read", () => {
    expect(gapCaveats(model, "444455556666", "us-east-1", at("2024-12-03T09:30:00Z"))).toEqual([
      expect.stringContaining("no record"),
    ]);
  });

  it("reports a silence only past the threshold", () => {
    expect(computeGaps(model).filter((gap) => gap.reason === "silence")).toEqual([]);
    const short = computeGaps(model, { silenceMs: 5 * 60 * 1000 }).filter((gap) => gap.reason === "silence");
    expect(short.length).toBeGreaterThan(0);
    for (const gap of short) expect((gap.to ?? 0) - gap.from).toBeGreaterThan(5 * 60 * 1000);
  });
});

describe("gaps of the demo", async () => {
  const model = await load("demo");

  it("has the victim's stopped window 13:21:10-13:41:10 and no stopped window for the outsider", () => {
    const stopped = computeGaps(model).filter((gap) => gap.reason === "logging-stopped");
    expect(stopped.map((gap) => ({ account: gap.account, ...window(gap) }))).toEqual([
      {
        account: "111122223333",
        reason: "logging-stopped",
        from: "2024-12-17T13:21:10.000Z",
        to: "2024-12-17T13:41:10.000Z",
      },
    ]);
  });
});

/** Silences the plain way: every kept record's time per place, sorted, and each long step between two. */
function silencesBySortingEveryTime(model: CaseModel, silenceMs: number): string[] {
  const times = new Map<string, number[]>();
  const add = (account: string, region: string, time: number) => {
    const place = `${account}/${region}`;
    times.set(place, [...(times.get(place) ?? []), time]);
  };
  const { usage } = model.data;
  for (let row = 0; row < usage.size; row++)
    add(usage.field(row, "account") ?? "", usage.field(row, "region") ?? "", usage.timeAt(row));
  for (const event of model.data.events) add(event.account, event.region, event.time);
  for (const span of model.data.coverage) {
    add(span.account, span.region, span.from);
    add(span.account, span.region, span.to);
  }
  const trailGaps = computeGaps(model, { silenceMs }).filter(
    (gap) => gap.keyArn === null && gap.reason !== "silence",
  );
  const silences: string[] = [];
  for (const span of model.data.coverage) {
    const place = `${span.account}/${span.region}`;
    const sorted = [...(times.get(place) ?? [])].sort((a, b) => a - b);
    for (let i = 1; i < sorted.length; i++) {
      const from = sorted[i - 1] ?? 0;
      const to = sorted[i] ?? 0;
      const explained = trailGaps.some(
        (gap) => `${gap.account}/${gap.region}` === place && gap.from <= from && (gap.to ?? Infinity) >= to,
      );
      if (to - from > silenceMs && !explained) silences.push(`${place} ${from}-${to}`);
    }
  }
  return silences.sort();
}

describe("silences", async () => {
  const scenarios = [
    "demo",
    ...["cross-account", "out-of-order", "trail-control", "multi-region", "attribution"].map(
      (name) => `scenarios/${name}`,
    ),
  ];
  const models = await Promise.all(scenarios.map(async (path) => [path, await load(path)] as const));

  it.each([30_000, 60_000, 5 * 60_000, 20 * 60_000, 60 * 60_000])(
    "are the long steps between every kept record's time at a place, at a threshold of %i ms",
    (silenceMs) => {
      let found = 0;
      for (const [, model] of models) {
        const silences = computeGaps(model, { silenceMs })
          .filter((gap) => gap.reason === "silence")
          .map((gap) => `${gap.account}/${gap.region} ${gap.from}-${gap.to}`)
          .sort();
        expect(silences).toEqual(silencesBySortingEveryTime(model, silenceMs));
        found += silences.length;
      }
      if (silenceMs <= 5 * 60_000) expect(found).toBeGreaterThan(0);
    },
  );

  it("of a few places, worked out alone, are the whole case's gaps at those places", () => {
    let compared = 0;
    for (const [path, model] of models) {
      const whole = computeGaps(model);
      for (const { account, region } of model.data.coverage) {
        const alone = gapsInWindow(new CaseModel(model.data), -Infinity, Infinity, [{ account, region }]);
        const expected = whole.filter((gap) => gap.account === account && gap.region === region);
        expect(alone, `${path} ${account}/${region}`).toEqual(expected);
        compared += expected.length;
        // A caveat reads the same whether the whole case's gaps were worked out first or not.
        for (const { from } of whole) {
          expect(gapCaveats(new CaseModel(model.data), account, region, from)).toEqual(
            gapCaveats(model, account, region, from),
          );
        }
      }
    }
    expect(compared).toBeGreaterThan(5);
  });
});

describe("a long silence", () => {
  const tempDir = useTempDir();

  it("is said in days, not in thousands of minutes", async () => {
    const dir = await tempDir();
    const records = [s3Record("first", "2024-03-01T10:00:00Z"), s3Record("last", "2024-03-04T10:00:00Z")];
    await writeFile(join(dir, "trail.json"), JSON.stringify({ Records: records }));
    const silences = computeGaps(new CaseModel(await replayInputs([dir]))).filter(
      (gap) => gap.reason === "silence",
    );
    expect(silences.map((gap) => gap.detail)).toEqual([
      "no KMS, CloudTrail-control or STS record for 3 days",
    ]);
  });
});
