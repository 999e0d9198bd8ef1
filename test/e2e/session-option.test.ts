import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import type { ReachReport, TimelineReport, UsageReport } from "../../src/query/index.js";
import { runCli, runJson } from "../support/run-cli.js";

/**
 * DESIGN §8: a principal named by an assumed-role session ARN means its role; `--session` narrows a role to one
 * of its sessions. The sessions fixture has role Batch called under several session names.
 */
const ROLE = "arn:aws:iam::111122223333:role/Batch";
const session = (name: string) => `arn:aws:sts::111122223333:assumed-role/Batch/${name}`;
const caseFile = join(mkdtempSync(join(tmpdir(), "keytrail-session-")), "sessions.case.gz");
const WINDOW = ["--from", "2024-01-16T08:00:00Z", "--to", "2024-01-16T10:00:00Z"];

const calls = (report: UsageReport) => report.calls.reduce((sum, group) => sum + group.count, 0);
const sessionsOf = (report: UsageReport) =>
  [...new Set(report.calls.flatMap((group) => group.sessions))].sort();

describe("a session ARN means its role; --session narrows to one session", () => {
  beforeAll(() => {
    const replay = runCli(["replay", "fixtures/scenarios/sessions", "-o", caseFile, "--format", "json"]);
    expect(replay.code).toBe(0);
  });

  it("usage --principal <session ARN> is the role's usage, every session of it", () => {
    const byRole = runJson<UsageReport>(["usage", "--principal", ROLE, "-c", caseFile]);
    const bySession = runJson<UsageReport>(["usage", "--principal", session("nightly-etl"), "-c", caseFile]);
    expect(bySession.calls).toEqual(byRole.calls);
    expect(sessionsOf(byRole).length).toBeGreaterThan(1);
  });

  it("usage --session keeps that session's calls only", () => {
    const byRole = runJson<UsageReport>(["usage", "--principal", ROLE, "-c", caseFile]);
    const one = runJson<UsageReport>([
      "usage",
      "--principal",
      ROLE,
      "--session",
      "nightly-etl",
      "-c",
      caseFile,
    ]);
    expect(sessionsOf(one)).toEqual(["nightly-etl"]);
    expect(calls(one)).toBeGreaterThan(0);
    expect(calls(one)).toBeLessThan(calls(byRole));
    const viaSessionArn = ["usage", "--principal", session("adhoc-debug"), "--session", "nightly-etl"];
    expect(runJson<UsageReport>([...viaSessionArn, "-c", caseFile]).calls).toEqual(one.calls);
  });

  it("timeline --session keeps that session's lines", () => {
    const args = ["timeline", "--principal", ROLE, "--session", "nightly-etl", "-c", caseFile];
    const report = runJson<TimelineReport>(args);
    expect(report.entries.length).toBeGreaterThan(0);
    expect(
      report.entries.every((entry) => entry.sessions?.every((name) => name === "nightly-etl") ?? true),
    ).toBe(true);
  });

  it("reach <session ARN> answers for the role; reach --session for that session", () => {
    const byRole = runJson<ReachReport>(["reach", ROLE, ...WINDOW, "-c", caseFile]);
    const bySessionArn = runJson<ReachReport>(["reach", session("adhoc-debug"), ...WINDOW, "-c", caseFile]);
    expect(bySessionArn).toEqual(byRole);
    expect(byRole.session).toBeUndefined();
    const denied = runJson<ReachReport>([
      "reach",
      ROLE,
      "--session",
      "adhoc-debug",
      ...WINDOW,
      "-c",
      caseFile,
    ]);
    expect(denied.session).toBe("adhoc-debug");
    const keysOf = (report: ReachReport) => report.keys.flatMap((key) => key.operations);
    expect(keysOf(denied)).not.toContain("Decrypt");
  });

  it("--session without a role to narrow is a usage error, exit 1", () => {
    const alone = runCli(["usage", "--session", "nightly-etl", "-c", caseFile]);
    expect(alone.code).toBe(1);
    expect(alone.stderr).toContain("--session narrows --principal");
    const account = runCli([
      "reach",
      "111122223333",
      "--session",
      "x",
      "--at",
      "2024-01-16T09:00:00Z",
      "-c",
      caseFile,
    ]);
    expect(account.code).toBe(1);
    expect(account.stderr).toContain("is not a role ARN or an assumed-role session ARN");
  });
});
