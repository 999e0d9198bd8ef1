import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isRelevantRecord, type NormalizedEvent, normalizeRecord } from "../../src/events/index.js";
import type { RawRecord } from "../../src/ingest/types.js";
import type { Issue } from "../../src/issue.js";

// The public CloudTrail samples sit beside the repository (../shared/data); they are read in place, never copied.
const DATA = resolve(dirname(fileURLToPath(import.meta.url)), "../../../shared/data");
const present = existsSync(DATA);
if (!present && process.env.CI === "true")
  throw new Error(`events corpus test: ${DATA} is missing under CI=true`);
if (!present)
  console.warn(`events corpus test SKIPPED: ${DATA} not found (the shared samples folder is absent)`);

interface Outcome {
  dir: string;
  file: string;
  index: number;
  record: RawRecord;
  relevant: boolean;
  event: NormalizedEvent | null;
  issue: Issue | null;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return jsonFiles(path);
    return entry.name.endsWith(".json") && !entry.name.endsWith(".provenance.json") ? [path] : [];
  });
}

function normalizeCorpus(): Outcome[] {
  return jsonFiles(DATA).flatMap((path) => {
    const file = relative(DATA, path);
    const records = (JSON.parse(readFileSync(path, "utf8")) as { Records: RawRecord[] }).Records;
    return records.map((record, index) => {
      const result = normalizeRecord(record, { file, index });
      return {
        dir: file.split("/")[0] ?? "",
        file,
        index,
        record,
        relevant: isRelevantRecord(record),
        event: result.ok ? result.event : null,
        issue: result.ok ? null : result.issue,
      };
    });
  });
}

describe.skipIf(!present)("events corpus (../shared/data)", () => {
  const outcomes = present ? normalizeCorpus() : [];
  const kms = outcomes.filter((o) => o.record.eventSource === "kms.amazonaws.com");

  it("reads the 956 records of the corpus, 144 of them KMS (INDEX.md)", () => {
    expect(outcomes).toHaveLength(956);
    expect(kms).toHaveLength(144);
  });

  it("counts kept events, records not kept and issues per dataset", () => {
    const counts: Record<string, { events: number; notKept: number; issues: number }> = {};
    for (const o of outcomes) {
      const c = counts[o.dir] ?? { events: 0, notKept: 0, issues: 0 };
      counts[o.dir] = c;
      if (o.issue) c.issues++;
      else if (o.event) c.events++;
      else c.notKept++;
    }
    expect(counts).toEqual({
      // StartLogging, UpdateTrail (failed), RotateKey; 4 insight records without eventTime
      "aws-cloudtrail-user-guide": { events: 3, notKept: 18, issues: 4 },
      // 74 KMS + 2 EC2 calls
      "aws-kms-developer-guide": { events: 74, notKept: 2, issues: 0 },
      "aws-kms-developer-guide-current": { events: 9, notKept: 0, issues: 0 },
      "aws-kms-developer-guide-history": { events: 15, notKept: 0, issues: 0 },
      "awsdocs-service-guides": { events: 26, notKept: 7, issues: 0 },
      // 2 DisableKey/ScheduleKeyDeletion, UpdateTrail x2, DeleteTrail
      "elastic-pipeline-test-inputs": { events: 5, notKept: 0, issues: 0 },
      // events: 16 KMS, 19 CloudTrail control calls, 5 AssumeRole; issues: 13 records without eventTime and
      // 4 relevant ones without eventID (Decrypt, AssumeRole x2, UpdateTrail)
      "panther-analysis": { events: 40, notKept: 426, issues: 17 },
      // StopLogging, DeleteTrail, PutEventSelectors and 12 AssumeRole
      "stratus-red-team-detonation-logs": { events: 15, notKept: 295, issues: 0 },
    });
  });

  it("a record isRelevantRecord drops is never an event or an issue, and every kept record is relevant", () => {
    for (const o of outcomes) {
      if (!o.relevant)
        expect({ at: `${o.file}#${o.index}`, event: o.event, issue: o.issue }).toEqual({
          at: `${o.file}#${o.index}`,
          event: null,
          issue: null,
        });
      if (o.event || o.issue) expect(o.relevant).toBe(true);
    }
  });

  it("every KMS record normalizes without unknown-shape or invalid-record, except the one without eventID", () => {
    const bad = kms
      .filter((o) => o.issue?.code === "unknown-shape" || o.issue?.code === "invalid-record")
      .map((o) => `${o.file}#${o.index} ${o.issue?.code}: ${o.issue?.reason}`);
    // A hand-made Panther test event with no eventID, requestParameters or resources: it cannot be deduplicated.
    expect(bad).toEqual([
      "panther-analysis/all_cloudtrail_test_events.json#182 invalid-record: Decrypt: eventID: Invalid input: expected string, received undefined",
    ]);
    expect(kms.filter((o) => o.event !== null)).toHaveLength(143);
  });

  it("no KMS event name of the corpus falls to Other", () => {
    const others = kms.flatMap((o) => (o.event?.name === "Other" ? [o.event.eventName] : []));
    // GetKeyLastUsage and DescribeCustomKeyStores are not in DESIGN §3's list but are typed events.
    expect(others).toEqual([]);
  });

  it("every KMS event with a key names it by ARN or alias", () => {
    const unnamed = kms.flatMap((o) => {
      const event = o.event;
      if (event === null || event.source !== "kms" || event.key === null) return [];
      return event.key.arn === null && event.key.alias === null ? [`${o.file}#${o.index} ${event.name}`] : [];
    });
    // The DynamoDB guide blanks its key ids and ARNs (""); the hand-made Panther PutKeyPolicy names no key.
    expect(unnamed).toEqual([
      "awsdocs-service-guides/amazon-dynamodb-developer-guide__encryption.usagenotes.json#0 GenerateDataKey",
      "awsdocs-service-guides/amazon-dynamodb-developer-guide__encryption.usagenotes.json#1 Decrypt",
      "awsdocs-service-guides/amazon-dynamodb-developer-guide__encryption.usagenotes.json#2 CreateGrant",
      "panther-analysis/all_cloudtrail_test_events.json#297 PutKeyPolicy",
    ]);
  });

  it("every kept event has a real time and the PutEventSelectors samples turn KMS logging off", () => {
    const events = outcomes.flatMap((o) => (o.event ? [o.event] : []));
    expect(events.every((e) => Number.isFinite(e.time) && e.time > Date.UTC(2010, 0, 1))).toBe(true);
    const selectors = events.flatMap((e) => (e.name === "PutEventSelectors" ? [e.kmsManagementLogged] : []));
    expect(selectors).toEqual([false, true, false]);
  });
});
