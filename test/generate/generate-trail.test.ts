import { createHash } from "node:crypto";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { normalizeRecord } from "../../src/events/index.js";
import { type GenerateInput, type GenerateSummary, generateTrail } from "../../src/generate/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { replaySummary } from "../../src/query/index.js";

const S3_KEY =
  /^AWSLogs\/(\d{12})\/CloudTrail\/([a-z]{2}-[a-z]+-\d)\/(\d{4})\/(\d{2})\/(\d{2})\/\1_CloudTrail_\2_(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})Z_[A-Za-z0-9]{16}\.json\.gz$/;

const SMALL: Omit<GenerateInput, "out"> = {
  records: 3000,
  keys: 16,
  accounts: 2,
  regions: 2,
  seed: 5,
  days: 0.5,
};

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "keytrail-generate-"));
  dirs.push(dir);
  return dir;
}

function listFiles(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort();
}

function fingerprint(root: string): Map<string, string> {
  return new Map(
    listFiles(root).map((file) => [
      // The 16-character suffix is random too, so the whole name is part of what must repeat.
      file,
      createHash("sha256")
        .update(readFileSync(join(root, file)))
        .digest("hex"),
    ]),
  );
}

function recordsOf(root: string, file: string): Record<string, unknown>[] {
  const body = JSON.parse(gunzipSync(readFileSync(join(root, file))).toString("utf8")) as {
    Records: Record<string, unknown>[];
  };
  return body.Records;
}

let out: string;
let summary: GenerateSummary;

beforeAll(async () => {
  out = freshDir();
  summary = await generateTrail({ ...SMALL, out });
});

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("generateTrail", () => {
  it("writes the same bytes for the same seed, and other bytes for another seed", async () => {
    const again = freshDir();
    await generateTrail({ ...SMALL, out: again });
    expect(fingerprint(again)).toEqual(fingerprint(out));

    const other = freshDir();
    await generateTrail({ ...SMALL, seed: 8, out: other });
    expect(fingerprint(other)).not.toEqual(fingerprint(out));
  });

  it("lays files out as CloudTrail's S3 delivery, as real gzip with mtime 0", () => {
    const files = listFiles(out);
    expect(files.length).toBe(summary.files);
    expect(new Set(files.map((file) => file.split("/")[1])).size).toBe(2);
    for (const file of files) {
      expect(file).toMatch(S3_KEY);
      const bytes = readFileSync(join(out, file));
      expect([bytes[0], bytes[1]]).toEqual([0x1f, 0x8b]);
      expect(bytes.readUInt32LE(4)).toBe(0);
    }
  });

  it("writes the records, KMS records and bytes it reports, at the asked KMS fraction", () => {
    let records = 0;
    let kms = 0;
    for (const file of listFiles(out)) {
      for (const record of recordsOf(out, file)) {
        records++;
        if (record.eventSource === "kms.amazonaws.com") kms++;
      }
    }
    expect(records).toBe(3000);
    expect(summary.records).toBe(3000);
    expect(kms).toBe(summary.kmsRecords);
    expect(Math.abs(kms / records - 0.4)).toBeLessThan(0.02);
  });

  it("respects another KMS fraction", async () => {
    const dir = freshDir();
    const low = await generateTrail({ ...SMALL, kmsFraction: 0.1, records: 4000, out: dir });
    expect(low.records).toBe(4000);
    expect(Math.abs(low.kmsRecords / low.records - 0.1)).toBeLessThan(0.02);
  });

  it("writes records that normalize with zero issues, with every userIdentity type", () => {
    const types = new Set<unknown>();
    const names = new Set<unknown>();
    for (const file of listFiles(out)) {
      recordsOf(out, file).forEach((record, index) => {
        const result = normalizeRecord(record, { file, index });
        if (!result.ok) throw new Error(`${file}#${index}: ${result.issue.reason}`);
        if (record.eventSource === "kms.amazonaws.com") {
          expect(result.event).not.toBeNull();
          names.add(record.eventName);
          types.add((record.userIdentity as { type?: string }).type ?? "service-event");
        }
      });
    }
    expect([...types].sort()).toEqual(
      ["AWSService", "AssumedRole", "FederatedUser", "IAMUser", "Root", "service-event"].sort(),
    );
    for (const name of ["CreateKey", "CreateAlias", "CreateGrant", "Decrypt", "GenerateDataKey", "Encrypt"]) {
      expect(names).toContain(name);
    }
  });

  it("delivers some records late: in a file whose window starts after the record's time", () => {
    let late = 0;
    for (const file of listFiles(out)) {
      const match = S3_KEY.exec(file);
      if (!match) continue;
      const [, , , year, month, day, , , , hour, minute] = match;
      const windowStart = Date.parse(`${year}-${month}-${day}T${hour}:${minute}:00Z`) - 5 * 60_000;
      for (const record of recordsOf(out, file)) {
        if (Date.parse(String(record.eventTime)) < windowStart) late++;
      }
    }
    expect(summary.lateRecords).toBeGreaterThan(0);
    expect(late).toBe(summary.lateRecords);
  });

  it("replays into a case that accounts for every record and merges cross-account copies", async () => {
    const data = await replayInputs([out]);
    const report = replaySummary(data, null, null);
    expect(report.issues.total).toBe(0);
    expect(report.records.read).toBe(summary.records);
    expect(report.records.accountedFor).toBe(true);
    expect(report.records.kept.kms).toBe(summary.kmsRecords);
    expect(summary.crossAccountCopies).toBeGreaterThan(0);
    expect(report.actions.sharedCopiesMerged).toBe(summary.crossAccountCopies);
    expect(report.model.keys).toBe(summary.keys);
    expect(report.model.keysCreatedInTrail).toBe(summary.keys);
  });
});
