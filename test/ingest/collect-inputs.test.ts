import { mkdir, symlink, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { codes, eventIds, ingestAll, kmsRecords, useTempDir } from "./helpers.js";

const tempDir = useTempDir();

async function put(path: string, content: string | Buffer): Promise<void> {
  await mkdir(join(path, ".."), { recursive: true });
  await writeFile(path, content);
}

describe("walking inputs", () => {
  it("walks an S3 layout (and an organization trail) in sorted, deterministic order", async () => {
    const root = await tempDir();
    const logs = join(root, "AWSLogs");
    const recs = kmsRecords(8);
    const day = (account: string, region: string, d: string) =>
      join(logs, account, "CloudTrail", region, "2024", "03", d);
    const files = [
      join(
        day("111122223333", "us-east-1", "02"),
        "111122223333_CloudTrail_us-east-1_20240302T1005Z_b.json.gz",
      ),
      join(
        day("111122223333", "us-east-1", "02"),
        "111122223333_CloudTrail_us-east-1_20240302T1000Z_a.json.gz",
      ),
      join(
        day("111122223333", "eu-west-1", "01"),
        "111122223333_CloudTrail_eu-west-1_20240301T2355Z_c.json.gz",
      ),
      join(
        logs,
        "o-abc123def4",
        "444455556666",
        "CloudTrail",
        "us-east-1",
        "2024",
        "03",
        "02",
        "org_d.json.gz",
      ),
    ];
    for (const [i, file] of files.entries()) {
      await put(file, gzipSync(JSON.stringify({ Records: recs.slice(i * 2, i * 2 + 2) })));
    }
    await put(
      join(logs, "111122223333", "CloudTrail-Digest", "us-east-1", "2024", "03", "02", "d.json.gz"),
      "{}",
    );
    await put(
      join(logs, "111122223333", "CloudTrail-Insight", "us-east-1", "2024", "03", "02", "i.json.gz"),
      gzipSync(JSON.stringify({ Records: [{ eventVersion: "1.08", eventType: "AwsCloudTrailInsight" }] })),
    );
    await put(join(root, "README.md"), "# not a log");
    await put(join(logs, ".DS_Store"), "junk");

    const { records, positions, issues, summary } = await ingestAll([root]);
    expect(issues).toEqual([]);
    const order = [files[2], files[1], files[0], files[3]];
    expect(summary.files.map((file) => file.file)).toEqual(order);
    expect(positions.map((position) => position.file)).toEqual(order.flatMap((file) => [file, file]));
    expect(eventIds(records)).toEqual(
      eventIds([recs[4], recs[5], recs[2], recs[3], recs[0], recs[1], recs[6], recs[7]]),
    );
    expect(summary.skipped).toEqual([
      { path: join(logs, ".DS_Store"), reason: "hidden" },
      {
        path: join(logs, "111122223333", "CloudTrail-Digest"),
        reason: "CloudTrail digest files hold no events",
      },
      {
        path: join(logs, "111122223333", "CloudTrail-Insight"),
        reason: "CloudTrail Insights files hold no API calls",
      },
      { path: join(root, "README.md"), reason: expect.stringMatching(/^name is not that of a log file/) },
    ]);
  });

  it("reads a file named on the command line whatever its name", async () => {
    const file = join(await tempDir(), "export.data");
    await writeFile(file, JSON.stringify({ Records: kmsRecords(2) }));
    const { records, summary } = await ingestAll([file]);
    expect(records).toHaveLength(2);
    expect(summary.skipped).toEqual([]);
  });

  it("reports symlink loops, dangling links and missing paths, and reads the rest", async () => {
    const root = await tempDir();
    await put(join(root, "logs", "a.json"), JSON.stringify({ Records: kmsRecords(3) }));
    await symlink(join(root, "logs"), join(root, "logs", "loop"));
    await symlink(join(root, "nowhere.json"), join(root, "logs", "dangling.json"));
    await symlink(join(root, "logs", "self"), join(root, "logs", "self"));
    const missing = join(root, "missing.json");

    const { records, issues, summary } = await ingestAll([join(root, "logs"), missing]);
    expect(records).toHaveLength(3);
    expect(issues.map(({ code, file }) => ({ code, file }))).toEqual([
      { code: "dangling-link", file: join(root, "logs", "dangling.json") },
      { code: "symlink-loop", file: join(root, "logs", "loop") },
      { code: "symlink-loop", file: join(root, "logs", "self") },
      { code: "dangling-link", file: missing },
    ]);
    expect(summary.issues).toBe(4);
    expect(summary.files).toHaveLength(1);
  });

  it("reads a file reached twice (through a link) once", async () => {
    const root = await tempDir();
    await put(join(root, "a", "x.json"), JSON.stringify({ Records: kmsRecords(2) }));
    await mkdir(join(root, "b"));
    await symlink(join(root, "a", "x.json"), join(root, "b", "x.json"));
    const { records, summary } = await ingestAll([root]);
    expect(records).toHaveLength(2);
    expect(summary.skipped).toEqual([
      { path: join(root, "b", "x.json"), reason: `same file as ${join(root, "a", "x.json")}` },
    ]);
  });

  it("reads the files of a directory reached twice (through a linked directory) once", async () => {
    const root = await tempDir();
    await put(join(root, "a", "x.json"), JSON.stringify({ Records: kmsRecords(2) }));
    await symlink(join(root, "a"), join(root, "b"));
    const { records, summary } = await ingestAll([root]);
    expect(records).toHaveLength(2);
    expect(summary.files.map((file) => file.file)).toEqual([join(root, "a", "x.json")]);
    expect(summary.skipped).toEqual([
      { path: join(root, "b", "x.json"), reason: `same file as ${join(root, "a", "x.json")}` },
    ]);
  });

  it("accounts for every opened file, empty and broken ones included", async () => {
    const root = await tempDir();
    await put(join(root, "1-empty.json"), "");
    await put(join(root, "2-bad.jsonl"), `${JSON.stringify(kmsRecords(1)[0])}\n{oops\n`);
    const { summary, issues } = await ingestAll([root]);
    expect(codes(issues)).toEqual(["empty-file", "invalid-json"]);
    expect(summary.files.map(({ format, records, issues: n }) => ({ format, records, issues: n }))).toEqual([
      { format: null, records: 0, issues: 1 },
      { format: "ndjson", records: 1, issues: 1 },
    ]);
  });
});
