import { describe, expect, it } from "vitest";
import { reach, timeline, usage } from "../../src/query/index.js";
import { at, PARTNER } from "./findings/case-builder.js";
import { BATCH, K, NIGHTLY, sessionCase, sessionOf } from "./session-case.js";

/**
 * Asked about one assumed-role session (`arn:aws:sts::A:assumed-role/R/s`), reach, usage and timeline count
 * that session's calls only; asked about role R, every session's.
 */

const model = sessionCase();
const WINDOW = { from: at(0), to: at(60) };
const usedOf = (principal: string) =>
  reach(model, principal, WINDOW).keys.find((entry) => entry.key.arn === K)?.used ?? [];
const countsOf = (principal: string) =>
  Object.fromEntries(usedOf(principal).map((use) => [use.operation, use.count]));

describe("reach asked about a session counts that session's calls", () => {
  it("used: the session's own calls; the role's are every session's", () => {
    expect(countsOf(BATCH)).toEqual({ Decrypt: 2, Encrypt: 1 });
    expect(countsOf(NIGHTLY)).toEqual({ Decrypt: 1, Encrypt: 1 });
    expect(countsOf(PARTNER)).toEqual({ Decrypt: 3, Encrypt: 2 });
  });

  it("usedButNotExplained: the other session's unexplained call is not the asked session's", () => {
    expect(reach(model, BATCH, WINDOW).usedButNotExplained).toEqual([]);
    const nightly = reach(model, NIGHTLY, WINDOW).usedButNotExplained;
    expect(nightly).toMatchObject([
      { key: K, operation: "Decrypt", count: 1, eventIds: ["Decrypt-nightly-12"] },
    ]);
    expect(reach(model, PARTNER, WINDOW).usedButNotExplained).toEqual(nightly);
  });

  it("no longer warns that the counts are the whole role's", () => {
    expect(reach(model, BATCH, WINDOW).caveats.join("\n")).not.toMatch(/every session|made no call/);
  });

  it("says when the session asked about never called, though its role did", () => {
    const ghost = reach(model, sessionOf("ghost"), WINDOW);
    expect(ghost.keys[0]?.used).toEqual([]);
    expect(ghost.caveats).toContain(
      `${sessionOf("ghost")} made no call in the trail: only what policies and grants name is known`,
    );
  });

  it("with --at, counts the session's calls over the whole trail", () => {
    expect(reach(model, BATCH, { at: at(30) }).keys[0]?.used).toMatchObject([
      { operation: "Decrypt", count: 2 },
      { operation: "Encrypt", count: 1 },
    ]);
  });
});

describe("usage and timeline --principal <session ARN>", () => {
  it("usage counts the session's calls only; the role ARN still means every session", () => {
    const session = usage(model, { principal: BATCH, calls: true });
    expect(session.totals.calls).toBe(3);
    expect(new Set(session.detail?.map((call) => call.sessionName))).toEqual(new Set(["batch"]));
    expect(session.calls.flatMap((group) => group.sessions)).toEqual(["batch", "batch"]);
    expect(usage(model, { principal: PARTNER }).totals.calls).toBe(5);
  });

  it("usage says when a session made no call at all", () => {
    const report = usage(model, { principal: sessionOf("ghost") });
    expect(report.totals.calls).toBe(0);
    expect(report.caveats[0]).toContain(`no call in this case was made by "${sessionOf("ghost")}"`);
  });

  it("timeline shows the session's runs only", () => {
    const report = timeline(model, { principal: BATCH });
    expect(report.totals.usageCalls).toBe(3);
    expect(report.entries.flatMap((entry) => entry.sessions)).toEqual(["batch", "batch"]);
    expect(timeline(model, { principal: PARTNER }).totals.usageCalls).toBe(5);
  });
});
