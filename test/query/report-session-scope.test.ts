import { describe, expect, it } from "vitest";
import { CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { report } from "../../src/query/index.js";

/**
 * `report --principal <session ARN>`: usage, timeline and reach answer for that one session, while findings
 * name the role (replay's normalized principal) and sample their evidence, so they cannot be narrowed to the
 * session. The report says so rather than mixing the two scopes silently.
 */
const demo = replayInputs(["fixtures/demo"]).then((data) => new CaseModel(data));
const DATA_SYNC = "arn:aws:iam::999988887777:role/data-sync";
const SESSION = "arn:aws:sts::999988887777:assumed-role/data-sync/sync-01";
const GENERATED = Date.parse("2025-01-02T03:04:05Z");
const SCOPE = `findings are about ${DATA_SYNC} as a whole (every session)`;

describe("report on one session", () => {
  it("states that its findings are the role's, beside the session's usage, timeline and reach", async () => {
    const result = report(await demo, { subject: { principal: SESSION }, generatedAt: GENERATED });
    expect(result.reach).toMatchObject({ principal: DATA_SYNC, session: "sync-01" });
    expect(result.findings.findings.length).toBeGreaterThan(0);
    expect(result.caveats).toContainEqual(expect.stringContaining(SCOPE));
    expect(result.caveats).toContainEqual(expect.stringContaining("about session sync-01 only"));
  });

  it("says nothing of the kind when the role is asked as a whole", async () => {
    const result = report(await demo, { subject: { principal: DATA_SYNC }, generatedAt: GENERATED });
    expect(result.caveats).not.toContainEqual(expect.stringContaining(SCOPE));
  });
});
