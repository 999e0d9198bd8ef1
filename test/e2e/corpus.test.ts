import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { replayInputs } from "../../src/pipeline/index.js";
import { replaySummary } from "../../src/query/index.js";
import { SHARED_DATA, sharedDataPresent } from "../support/shared-data.js";

/**
 * The whole pipeline over every public sample set in ../shared/data (see its INDEX.md): every record is
 * accounted for, no KMS record has an unknown shape, and the counts are pinned. Duplicates are real: the AWS
 * documentation pages reuse eventIDs across independent examples (a copy that differs in eventName, eventTime,
 * errorCode, key or caller is also a `conflicting-duplicate` issue: one copy of aws-m2-user-guide's differs in
 * its caller alone). Panther's `.provenance.json` side files are
 * not logs and are reported as `unknown-format`; records without eventTime as `missing-event-time`.
 */
const expected = {
  "aws-cloudtrail-user-guide": {
    read: 25,
    kms: 1,
    cloudtrail: 2,
    sts: 0,
    dropped: 18,
    duplicates: 0,
    issues: { "missing-event-time": 4 },
  },
  "aws-kms-developer-guide": {
    read: 76,
    kms: 61,
    cloudtrail: 0,
    sts: 0,
    dropped: 2,
    duplicates: 13,
    issues: { "conflicting-duplicate": 11 },
  },
  "aws-kms-developer-guide-current": {
    read: 9,
    kms: 8,
    cloudtrail: 0,
    sts: 0,
    dropped: 0,
    duplicates: 1,
    issues: {},
  },
  "aws-kms-developer-guide-history": {
    read: 15,
    kms: 15,
    cloudtrail: 0,
    sts: 0,
    dropped: 0,
    duplicates: 0,
    issues: {},
  },
  "awsdocs-service-guides": {
    read: 33,
    kms: 12,
    cloudtrail: 0,
    sts: 0,
    dropped: 7,
    duplicates: 14,
    issues: { "conflicting-duplicate": 13 },
  },
  "elastic-pipeline-test-inputs": {
    read: 5,
    kms: 2,
    cloudtrail: 3,
    sts: 0,
    dropped: 0,
    duplicates: 0,
    issues: {},
  },
  "panther-analysis": {
    read: 483,
    kms: 2,
    cloudtrail: 3,
    sts: 3,
    dropped: 426,
    duplicates: 32,
    issues: {
      "missing-event-time": 13,
      "invalid-record": 4,
      "unknown-format": 2,
      "conflicting-duplicate": 29,
    },
  },
  "stratus-red-team-detonation-logs": {
    read: 310,
    kms: 0,
    cloudtrail: 3,
    sts: 12,
    dropped: 295,
    duplicates: 0,
    issues: {},
  },
};

describe.skipIf(!sharedDataPresent("pipeline corpus test"))("replay of ../shared/data", () => {
  it.each(Object.entries(expected))("%s", async (dir, counts) => {
    const summary = replaySummary(await replayInputs([join(SHARED_DATA, dir)]));
    expect(summary.records).toMatchObject({
      read: counts.read,
      kept: { kms: counts.kms, cloudtrail: counts.cloudtrail, sts: counts.sts },
      droppedIrrelevant: counts.dropped,
      duplicates: counts.duplicates,
      accountedFor: true,
    });
    expect(summary.issues.byCode).toEqual(counts.issues);
  });

  it("counts as input that never became a record only the issues that are about such input", async () => {
    const panther = replaySummary(await replayInputs([join(SHARED_DATA, "panther-analysis")]));
    // 2 unknown-format files; the 29 conflicting duplicates and 17 rejected records were read as records.
    expect(panther.records.inputIssuesNotRecords).toBe(2);
  });
});
