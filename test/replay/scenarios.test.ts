import { readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { keyAt } from "../../src/query/index.js";

/**
 * Every scenario trail in fixtures/scenarios is replayed and held to the facts in fixtures/expected/<name>.json
 * (written from the trails by hand, see fixtures/README.md): record and action counts, and the key's state,
 * aliases, grants, policy version and rotation at instants just before and at each change.
 */
const root = new URL("../../fixtures/", import.meta.url).pathname;

const expectedSchema = (name: string) =>
  JSON.parse(readFileSync(join(root, "expected", `${name}.json`), "utf8")) as {
    records: number;
    kmsEvents: number;
    actions: number;
    checks: {
      key: string;
      at: string;
      state: string;
      aliases: string[];
      grantIds: string[];
      policyVersion: number | null;
      rotationEnabled: boolean | null;
    }[];
  };

const scenarios = readdirSync(join(root, "expected"))
  .map((file) => file.replace(/\.json$/, ""))
  .map((name) => ({ name, dir: name === "demo" ? join(root, "demo") : join(root, "scenarios", name) }))
  .filter(({ dir }) => statSync(dir, { throwIfNoEntry: false })?.isDirectory());

describe.each(scenarios)("scenario $name", ({ name, dir }) => {
  const expected = expectedSchema(name);
  const loaded = replayInputs([dir]).then((data) => ({ data, model: new CaseModel(data) }));

  it("reads every record, keeps each KMS event once and each action once", async () => {
    const { data } = await loaded;
    expect(data.stats.issues).toBe(0);
    expect(data.stats.recordsRead).toBe(expected.records);
    expect(data.stats.kmsEvents).toBe(expected.kmsEvents);
    expect(data.stats.kmsEvents - data.stats.sharedCopiesMerged).toBe(expected.actions);
  });

  it.each(expected.checks.map((check) => ({ ...check, label: `${check.key.slice(-12)} @ ${check.at}` })))(
    "$label",
    async (check) => {
      const { model } = await loaded;
      const report = keyAt(model, check.key, Date.parse(check.at));
      expect({
        state: report.state,
        aliases: [...report.aliases].sort(),
        grantIds: report.grants.map((grant) => grant.grantId).sort(),
        policyVersion: report.policyVersion,
        rotationEnabled: report.rotation?.enabled ?? null,
      }).toEqual({
        state: check.state,
        aliases: [...check.aliases].sort(),
        grantIds: [...check.grantIds].sort(),
        policyVersion: check.policyVersion,
        rotationEnabled: check.rotationEnabled,
      });
    },
  );
});
