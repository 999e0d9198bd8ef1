import { describe, expect, it } from "vitest";
import { z } from "zod";
import { CaseModel } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { timeline } from "../../src/query/index.js";
import { timesketchLines } from "../../src/render/index.js";

/**
 * Timesketch's JSONL import (docs: "Import from JSON or CSV"): one JSON object a line, with the mandatory
 * `message` (string), `datetime` (ISO 8601) and `timestamp_desc` (string); every other field a flat attribute.
 * Fields starting with "_" are Elasticsearch/Timesketch internals and must not be sent.
 */
const ISO_8601 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
const timesketchLineSchema = z
  .object({
    message: z.string().min(1),
    datetime: z.string().regex(ISO_8601),
    timestamp_desc: z.string().min(1),
    timestamp: z.number().int().optional(),
  })
  .catchall(z.union([z.string(), z.number(), z.boolean()]));

describe("timeline --format timesketch", () => {
  it("writes one importable object per line for every timeline entry", async () => {
    const model = new CaseModel(await replayInputs(["fixtures/demo"]));
    const report = timeline(model, {});
    const text = timesketchLines(report);
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n");
    expect(lines).toHaveLength(report.entries.length);
    for (const line of lines) {
      const parsed = timesketchLineSchema.parse(JSON.parse(line));
      expect(Object.keys(parsed).filter((name) => name.startsWith("_"))).toEqual([]);
      expect(parsed.timestamp).toBe(Date.parse(parsed.datetime) * 1000);
    }
    // A state line is no call: no success or errorCode of its own.
    const states = lines.map((line) => JSON.parse(line)).filter((line) => line.data_type.endsWith(":state"));
    expect(states.length).toBeGreaterThan(0);
    expect(new Set(states.map((line) => line.outcome))).toEqual(new Set(["n/a"]));
  });

  it("carries the evidence and the actor as attributes a Timesketch search can use", async () => {
    const model = new CaseModel(await replayInputs(["fixtures/scenarios/attribution"]));
    const lines = timesketchLines(timeline(model, {}))
      .trimEnd()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    const revoke = lines.find((line) => line.event_name === "RevokeGrant");
    expect(revoke).toMatchObject({
      timestamp_desc: "Event Time",
      actor: "arn:aws:iam::111122223333:user/kms-admin",
      event_ids: "00c7b091-4eeb-4940-a634-2e10bdbad326",
      outcome: "success",
    });
    const run = lines.find((line) => line.data_type === "aws:kms:keytrail:usage" && line.count === 3);
    expect(run).toMatchObject({
      message: expect.stringMatching(/^Encrypt x 3 by/),
      run_end: "2024-02-13T10:22:00.000Z",
    });
  });
});
