import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it, vi } from "vitest";
import { main } from "../../src/cli/main.js";
import type { KeytrailError } from "../../src/errors.js";
import { generateTrail } from "../../src/generate/index.js";
import { planKeys } from "../../src/generate/key-plan.js";
import { Prng } from "../../src/generate/prng.js";
import { buildWorld } from "../../src/generate/world.js";

const DAY = 86_400_000;
const SMALL = { keys: 6, accounts: 2, regions: 1, seed: 4, days: 0.25 };

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "keytrail-generate-limits-"));
  dirs.push(dir);
  return dir;
}

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

async function refusal(run: Promise<unknown>): Promise<KeytrailError> {
  const error = await run.then(
    () => null,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(Error);
  return error as KeytrailError;
}

describe("generate --out", () => {
  it("refuses a directory that holds anything, naming it, and leaves it as it was", async () => {
    const out = freshDir();
    writeFileSync(join(out, "notes.txt"), "mine");
    const error = await refusal(generateTrail({ ...SMALL, records: 500, out }));
    expect(error.name).toBe("UsageError");
    expect(error.context).toEqual({ out });
    expect(error.message).toContain(out);
    expect(readdirSync(out)).toEqual(["notes.txt"]);
  });

  it("refuses a file, or a path through one, as --out, naming it", async () => {
    const file = join(freshDir(), "trail.json");
    writeFileSync(file, "{}");
    for (const out of [file, join(file, "sub")]) {
      const error = await refusal(generateTrail({ ...SMALL, records: 500, out }));
      expect(error.name).toBe("UsageError");
      expect(error.message).toBe(`generate: --out ${out} is a file, or inside one: not a directory`);
    }
    expect(readFileSync(file, "utf8")).toBe("{}");
  });

  it("writes into an empty directory or one that does not exist yet", async () => {
    const empty = freshDir();
    expect((await generateTrail({ ...SMALL, records: 500, out: empty })).records).toBe(500);
    const missing = join(freshDir(), "new", "trail");
    expect((await generateTrail({ ...SMALL, records: 500, out: missing })).records).toBe(500);
  });

  it("exits 1 from the CLI with the directory named on stderr", async () => {
    const out = freshDir();
    mkdirSync(join(out, "AWSLogs"));
    let stderr = "";
    const spy = vi.spyOn(process.stderr, "write").mockImplementation((text) => {
      stderr += String(text);
      return true;
    });
    try {
      expect(await main(["node", "keytrail", "generate", "--out", out, "--records", "500"])).toBe(1);
    } finally {
      spy.mockRestore();
    }
    expect(stderr).toContain(`--out ${out} is not empty`);
  });
});

describe("generate --records", () => {
  it("is exact, down to the records the keys' lifecycles write", async () => {
    const error = await refusal(generateTrail({ ...SMALL, records: 1, out: freshDir() }));
    expect(error.name).toBe("UsageError");
    const planned = error.context.planned as number;
    expect(planned).toBeGreaterThan(SMALL.keys);
    for (const records of [planned, planned + 1, 3 * planned]) {
      expect((await generateTrail({ ...SMALL, records, out: freshDir() })).records).toBe(records);
    }
  });

  it("is exact with many keys for the records, when their lifecycles fill most of them", async () => {
    const summary = await generateTrail({ ...SMALL, keys: 150, records: 1500, out: freshDir() });
    expect(summary.records).toBe(1500);
  });

  it("refuses far more keys than the records can hold before writing anything", async () => {
    const out = join(freshDir(), "trail");
    const error = await refusal(generateTrail({ ...SMALL, keys: 5000, records: 10, out }));
    expect(error.name).toBe("UsageError");
    expect(error.context.planned).toBeGreaterThan(5000);
    expect(() => readdirSync(out)).toThrow();
  });
});

describe("key deletion", () => {
  function plannedNames(days: number): { name: string; key: string; time: number; failed: boolean }[] {
    const prng = new Prng(9);
    const world = buildWorld(3, 2, prng);
    const start = Date.UTC(2024, 5, 1);
    return planKeys(world, 300, { start, end: start + days * DAY }, prng).calls.map((call) => ({
      name: call.name,
      key: call.resources?.at(-1)?.ARN ?? "",
      time: call.time,
      failed: call.error !== undefined,
    }));
  }

  it("writes the DeleteKey service event 7 days after ScheduleKeyDeletion, when that is in the span", () => {
    const calls = plannedNames(60);
    const scheduled = new Map(
      calls.filter((c) => c.name === "ScheduleKeyDeletion" && !c.failed).map((c) => [c.key, c.time]),
    );
    const deletes = calls.filter((call) => call.name === "DeleteKey");
    expect(deletes.length).toBeGreaterThan(0);
    for (const call of deletes) {
      expect(call.time - (scheduled.get(call.key) ?? 0)).toBe(7 * DAY + 7_000);
    }
  });

  it("writes none in a trail of 17.5 days or less: deletions are scheduled at 60-90% of the span", () => {
    const calls = plannedNames(17.5);
    expect(calls.some((call) => call.name === "ScheduleKeyDeletion" && !call.failed)).toBe(true);
    expect(calls.some((call) => call.name === "DeleteKey")).toBe(false);
  });
});
