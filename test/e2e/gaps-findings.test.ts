import { beforeAll, describe, expect, it } from "vitest";
import { runCli, runJson } from "../support/run-cli.js";

/** `gaps` and `findings` as a responder runs them on the demo incident (needs `npm run build`). */
describe("gaps and findings on the demo", () => {
  let gaps: { gaps: { account: string; region: string; from: string; to: string | null; reason: string }[] };
  let found: { findings: { detector: string; eventIds: string[]; time: string }[] };

  beforeAll(() => {
    gaps = runJson(["gaps", "-i", "fixtures/demo"]);
    found = runJson(["findings", "-i", "fixtures/demo"]);
  });

  it("gaps --format json reports the victim's stopped window", () => {
    expect(gaps.gaps).toContainEqual(
      expect.objectContaining({
        account: "111122223333",
        region: "us-east-1",
        from: "2024-12-17T13:21:10.000Z",
        to: "2024-12-17T13:41:10.000Z",
        reason: "logging-stopped",
      }),
    );
  });

  it("findings --format json lists every attack step of the demo, each with evidence", () => {
    expect(new Set(found.findings.map((f) => f.detector))).toEqual(
      new Set([
        "policy-opened",
        "grant-outside-account",
        "alias-repointed",
        "logging-blind-spot",
        "external-use-burst",
        "reencrypt-burst",
        "denied-burst",
        "key-in-use-disabled",
      ]),
    );
    for (const finding of found.findings) expect(finding.eventIds.length).toBeGreaterThan(0);
  });

  it("--from/--to narrow the findings and --burst-count raises the bar", () => {
    const late = runJson<typeof found>(["findings", "-i", "fixtures/demo", "--from", "2024-12-17T13:20:00Z"]);
    expect(late.findings.every((f) => f.time >= "2024-12-17T13:20:00")).toBe(true);
    const strict = runJson<typeof found>(["findings", "-i", "fixtures/demo", "--burst-count", "20"]);
    expect(strict.findings.some((f) => f.detector.endsWith("burst"))).toBe(false);
  });

  it("--principal keeps the findings about a principal, an account id meaning any of its principals", () => {
    type Found = { findings: { detector: string; blastRadius: { principals: string[] } }[] };
    const role = runJson<Found>([
      "findings",
      "-i",
      "fixtures/demo",
      "--principal",
      "arn:aws:iam::999988887777:role/data-sync",
    ]);
    const account = runJson<Found>(["findings", "-i", "fixtures/demo", "--principal", "999988887777"]);
    expect(role.findings.length).toBeGreaterThan(0);
    expect(role.findings.length).toBeLessThan(found.findings.length);
    // About data-sync, or about its account or anyone (a key policy opened to them).
    const about = ["arn:aws:iam::999988887777:role/data-sync", "999988887777", "*"];
    for (const finding of role.findings)
      expect(finding.blastRadius.principals.some((id) => about.includes(id))).toBe(true);
    expect(account.findings.length).toBeGreaterThanOrEqual(role.findings.length);
  });

  it("renders a table, and rejects a malformed duration with exit 1", () => {
    const table = runCli(["findings", "-i", "fixtures/demo", "--format", "table"]);
    expect(table.code).toBe(0);
    expect(table.stdout).toContain("alias-repointed");
    expect(runCli(["gaps", "-i", "fixtures/demo", "--silence", "soon"]).code).toBe(1);
    // The threshold in the unit it was given in, not 10080 min.
    const week = runCli(["gaps", "-i", "fixtures/demo", "--silence", "7d", "--format", "table"]);
    expect(week.stdout).toContain("Gaps (silence threshold 7 days)");
  });
});
