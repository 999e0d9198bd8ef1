import { describe, expect, it } from "vitest";
import type { UsageRow } from "../../../src/model/index.js";
import { isDenied } from "../../../src/query/access-denied.js";
import { usageSummary } from "../../../src/query/findings/usage-summary.js";
import { ADMIN, APP, at, buildModel, call, keyArn, PARTNER } from "./case-builder.js";

const KEYS = [keyArn("k-1"), keyArn("k-2"), keyArn("k-3")];
const PRINCIPALS = [APP, ADMIN, PARTNER];
const ERRORS = [null, null, null, "AccessDeniedException", "KMSInvalidStateException"];

/** A small deterministic generator, so that a failure can be replayed. */
function random(seed: number): (n: number) => number {
  let state = seed;
  return (n) => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state % n;
  };
}

function pick<T>(items: readonly T[], next: (n: number) => number): T {
  return items[next(items.length)] as T;
}

/** What the summary must say, counted the plain way: every row, once. */
function counted(rows: readonly UsageRow[], keys: readonly string[], from: number, to: number | null) {
  const inWindow = rows.filter(
    (row) =>
      row.time >= from &&
      (to === null || row.time < to) &&
      (keys.includes(row.key ?? "") || keys.includes(row.destinationKey ?? "")),
  );
  return {
    calls: inWindow.length,
    failed: inWindow.filter((row) => row.errorCode !== null).length,
    denied: inWindow.filter((row) => isDenied(row.errorCode)).length,
    principals: [...new Set(inWindow.map((row) => row.principal))].sort(),
  };
}

describe("usageSummary", () => {
  it("counts what a plain pass over the rows counts, for any window and set of keys", () => {
    const next = random(7);
    const rows = Array.from({ length: 400 }, (_, i) => {
      const key = pick(KEYS, next);
      const reencrypt = next(3) === 0;
      return call(reencrypt ? "ReEncrypt" : "Decrypt", at(next(120)), pick(PRINCIPALS, next), key, {
        eventId: `e-${i}`,
        errorCode: pick(ERRORS, next),
        destinationKey: reencrypt ? pick(KEYS, next) : null,
      });
    });
    const model = buildModel({ usage: rows });
    for (let trial = 0; trial < 200; trial++) {
      const from = at(next(130) - 5);
      const to = next(4) === 0 ? null : from + next(60) * 60_000;
      const keys = KEYS.filter(() => next(2) === 0);
      keys.push(pick(KEYS, next));
      const summary = usageSummary(model, keys, { from, to });
      expect({ ...summary, from: undefined, to: undefined }).toEqual({
        ...counted(rows, keys, from, to),
        from: undefined,
        to: undefined,
      });
    }
  });

  it("is empty for a key no call names", () => {
    const model = buildModel({ usage: [call("Decrypt", at(1), APP, KEYS[0] ?? "")] });
    expect(usageSummary(model, [keyArn("k-unused")], { from: at(0), to: null })).toMatchObject({
      calls: 0,
      principals: [],
    });
  });
});
