import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { isRelevantRecord } from "../../src/events/index.js";
import { replayInputsInFull } from "../../src/pipeline/index.js";
import { kmsRecord, s3Record, useTempDir } from "./helpers.js";

const tempDir = useTempDir();

/** A CloudTrail Insights event: its call is named inside insightDetails only. */
function insight(id: string, eventTime: string, state: "Start" | "End") {
  return {
    eventVersion: "1.08",
    eventTime,
    awsRegion: "us-east-1",
    eventID: id,
    eventType: "AwsCloudTrailInsight",
    recipientAccountId: "111122223333",
    sharedEventID: "22222222-2222-2222-2222-222222222222",
    insightDetails: {
      state,
      eventSource: "kms.amazonaws.com",
      eventName: "Decrypt",
      insightType: "ApiCallRateInsight",
    },
    eventCategory: "Insight",
  };
}

describe("CloudTrail Insights records given directly", () => {
  it("are dropped as no calls: not rejected, and not in coverage", async () => {
    const dir = await tempDir();
    const file = join(dir, "insights.json");
    const records = [
      insight("insight-start", "2024-03-09T10:00:00Z", "Start"),
      kmsRecord(1),
      s3Record("noise", "2024-03-02T10:30:00Z"),
      insight("insight-end", "2024-03-09T11:00:00Z", "End"),
    ];
    await writeFile(file, JSON.stringify({ Records: records }));
    const { data } = await replayInputsInFull([file], { threads: 1 });
    expect(data.stats).toMatchObject({ recordsRead: 4, droppedIrrelevant: 3, issues: 0, kmsEvents: 1 });
    expect(data.coverage).toEqual([
      {
        account: "111122223333",
        region: "us-east-1",
        from: Date.parse("2024-03-02T10:01:00Z"),
        to: Date.parse("2024-03-02T10:30:00Z"),
        records: 2,
      },
    ]);
  });

  it("are not relevant, though they lack the eventSource that keeps a record for normalization to report", () => {
    expect(isRelevantRecord(insight("i", "2024-03-09T10:00:00Z", "Start"))).toBe(false);
    expect(isRelevantRecord({ eventTime: "2024-03-09T10:00:00Z" })).toBe(true);
  });
});
