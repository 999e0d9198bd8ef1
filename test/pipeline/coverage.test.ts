import { writeFile } from "node:fs/promises";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { RawRecord } from "../../src/ingest/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { kmsRecord, s3Record, useTempDir } from "../ingest/helpers.js";

const ACCOUNT = "111122223333";

function decrypt(n: number, eventTime: unknown): RawRecord {
  return { ...kmsRecord(2 * n, "Decrypt"), eventID: `decrypt-${n}`, recipientAccountId: ACCOUNT, eventTime };
}

const iso = (ms: number) => new Date(ms).toISOString();

describe("coverage", () => {
  const tempDir = useTempDir();

  /**
   * Redacted samples carry eventTimes such as `redacted` or `...`: compared as text they sorted after every
   * real time and, unreadable, the span they ended was dropped, so the account read as never logged.
   */
  it("counts records by the times they give and passes over times it cannot read", async () => {
    const dir = await tempDir();
    const records = [
      s3Record("s3-1", "2024-03-02T09:00:00Z"),
      s3Record("s3-redacted", "redacted"),
      decrypt(1, "2024-03-02T10:00:00Z"),
      s3Record("s3-dots", "..."),
      decrypt(2, "2024-03-02T25:00:00Z"),
      // A number is read as epoch seconds by normalization, and so it is by coverage: 2024-03-02T11:00:00Z.
      decrypt(3, 1709377200),
      s3Record("s3-2", "2024-03-02T10:30:00Z"),
    ];
    await writeFile(join(dir, "trail.json"), JSON.stringify({ Records: records }));
    const data = await replayInputs([dir]);
    expect(data.coverage.map((span) => ({ ...span, from: iso(span.from), to: iso(span.to) }))).toEqual([
      {
        account: ACCOUNT,
        region: "us-east-1",
        from: "2024-03-02T09:00:00.000Z",
        to: "2024-03-02T11:00:00.000Z",
        records: 4,
      },
    ]);
    expect(data.stats.issuesByCode).toEqual({ "missing-event-time": 1 });
    expect(data.usage.size).toBe(2);
  });

  /**
   * Older and hand-made records have no recipientAccountId: their events are at the caller's account, and
   * coverage must be there too, or a question about the key says its account was never read.
   */
  it("places a record without recipientAccountId at its caller's account, as its events are", async () => {
    const dir = await tempDir();
    const { recipientAccountId: _kms, ...kmsCall } = decrypt(1, "2024-03-02T10:00:00Z");
    const { recipientAccountId: _s3, ...noise } = s3Record("s3-1", "2024-03-02T12:00:00Z");
    const { awsRegion: _region, ...noRegion } = s3Record("s3-2", "2024-03-02T13:00:00Z");
    await writeFile(join(dir, "trail.json"), JSON.stringify({ Records: [kmsCall, noise, noRegion] }));
    const data = await replayInputs([dir]);
    expect(data.usage.field(0, "account")).toBe(ACCOUNT);
    expect(data.coverage.map(({ account, region, records }) => ({ account, region, records }))).toEqual([
      { account: ACCOUNT, region: "", records: 1 },
      { account: ACCOUNT, region: "us-east-1", records: 2 },
    ]);
  });
});
