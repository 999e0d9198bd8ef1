import { describe, expect, it } from "vitest";
import { CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { gapsReport, replaySummary } from "../../src/query/index.js";
import { gapsBlocks, renderBlocks, replaySummaryBlocks } from "../../src/render/index.js";

const data = replayInputs(["fixtures/demo"]);

describe("coverage table", () => {
  it("counts records with thousands separators in the replay summary, plainly in gaps", async () => {
    const summary = replaySummary(await data);
    const [first] = summary.coverage;
    if (!first) throw new Error("the demo has no coverage");
    const coverage = [{ ...first, records: 12345 }];
    expect(renderBlocks(replaySummaryBlocks({ ...summary, coverage }), "table")).toMatch(/ 12,345$/m);
    const gaps = gapsReport(new CaseModel(await data));
    expect(renderBlocks(gapsBlocks({ ...gaps, coverage }), "table")).toMatch(/ 12345$/m);
  });
});
