import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GenerateInput, type GenerateSummary, generateTrail } from "../../src/generate/index.js";
import { loadCase } from "../../src/pipeline/index.js";
import { findings } from "../../src/query/index.js";

/**
 * What keytrail must find true of a generated trail: every successful call has a route (DynamoDB's through
 * the grant it creates for its table), and every key reference is one KMS would accept at that time from that
 * caller. Many keys, so that aliases move and are deleted.
 */
const BUSY: Omit<GenerateInput, "out"> = {
  records: 16_000,
  keys: 60,
  accounts: 2,
  regions: 2,
  seed: 11,
  days: 2,
};

type TrailRecord = Record<string, unknown> & {
  eventTime: string;
  eventName: string;
  eventSource: string;
  recipientAccountId: string;
  userIdentity: { type?: string; accountId?: string; invokedBy?: string };
  requestParameters: Record<string, unknown> | null;
  responseElements: Record<string, unknown> | null;
  resources?: { ARN: string }[];
  errorCode?: string;
};

const dirs: string[] = [];
function freshDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "keytrail-generate-realism-"));
  dirs.push(dir);
  return dir;
}

function recordsUnder(root: string): TrailRecord[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => relative(root, join(entry.parentPath, entry.name)))
    .sort()
    .flatMap((file) => {
      const body = JSON.parse(gunzipSync(readFileSync(join(root, file))).toString("utf8")) as {
        Records: TrailRecord[];
      };
      return body.Records;
    });
}

function keyArnOf(record: TrailRecord): string {
  return record.resources?.find((resource) => resource.ARN.includes(":key/"))?.ARN ?? "";
}

let out: string;
let summary: GenerateSummary;
/** The key owners' copies of KMS records, in time order (management first within a second). */
let kms: TrailRecord[];

beforeAll(async () => {
  out = freshDir();
  summary = await generateTrail({ ...BUSY, out });
  kms = recordsUnder(out)
    .filter((record) => record.eventSource === "kms.amazonaws.com")
    .filter((record) => record.recipientAccountId === keyArnOf(record).split(":")[4])
    .sort(
      (a, b) =>
        a.eventTime.localeCompare(b.eventTime) ||
        Number(a.eventName.endsWith("Alias") ? 0 : 1) - Number(b.eventName.endsWith("Alias") ? 0 : 1),
    );
}, 60_000);

afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

describe("generated usage has a route keytrail finds", () => {
  it("creates DynamoDB's grant for a table before DynamoDB uses the key, with the table's context", () => {
    const grants = new Map<string, Record<string, string>[]>();
    let served = 0;
    for (const record of kms) {
      const request = record.requestParameters ?? {};
      if (record.eventName === "CreateGrant" && record.userIdentity.invokedBy === "dynamodb.amazonaws.com") {
        const region = keyArnOf(record).split(":")[3];
        expect(record.userIdentity.type).toBe("AssumedRole");
        expect(request.granteePrincipal).toBe(`dynamodb.${region}.amazonaws.com`);
        expect(request.retiringPrincipal).toBe(`dynamodb.${region}.amazonaws.com`);
        expect(request.operations).toEqual(expect.arrayContaining(["Decrypt", "GenerateDataKey"]));
        const { encryptionContextSubset } = request.constraints as {
          encryptionContextSubset: Record<string, string>;
        };
        expect(Object.keys(encryptionContextSubset).sort()).toEqual([
          "aws:dynamodb:subscriberId",
          "aws:dynamodb:tableName",
        ]);
        grants.set(keyArnOf(record), [...(grants.get(keyArnOf(record)) ?? []), encryptionContextSubset]);
      }
      if (record.userIdentity.invokedBy === "dynamodb.amazonaws.com" && record.eventName !== "CreateGrant") {
        const context = request.encryptionContext as Record<string, string>;
        const subsets = grants.get(keyArnOf(record)) ?? [];
        expect(
          subsets.some((subset) => Object.entries(subset).every(([name, value]) => context[name] === value)),
        ).toBe(true);
        served++;
      }
    }
    expect(grants.size).toBeGreaterThan(0);
    expect(served).toBeGreaterThan(50);
  });

  it("leaves no successful call unexplained", async () => {
    const report = findings(await loadCase({ input: [out] }));
    expect(report.findings.filter((finding) => finding.detector === "unexplained-use")).toEqual([]);
  });
});

describe("generated key references", () => {
  it("name an alias only while it points to the key, and only ARNs from another account", () => {
    /** account|region|alias -> the key ARN it points to */
    const aliases = new Map<string, string>();
    const seen = { alias: 0, movedAlias: 0, aliasArn: 0, foreign: 0, deleted: 0 };
    const moved = new Set<string>();
    for (const record of kms) {
      const key = keyArnOf(record);
      const [, , , region, account] = key.split(":");
      const request = record.requestParameters ?? {};
      const name = String(request.aliasName ?? "");
      if (record.eventName === "CreateAlias" || record.eventName === "UpdateAlias") {
        aliases.set(`${account}|${region}|${name}`, key);
        if (record.eventName === "UpdateAlias") moved.add(`${account}|${region}|${name}`);
        continue;
      }
      if (record.eventName === "DeleteAlias") {
        aliases.delete(`${account}|${region}|${name}`);
        seen.deleted++;
        continue;
      }
      if (!record.readOnly || typeof request.keyId !== "string") continue;
      const ref = request.keyId;
      const foreign =
        record.userIdentity.accountId !== undefined && record.userIdentity.accountId !== account;
      if (foreign) {
        expect(ref).toMatch(/^arn:aws:kms:/);
        seen.foreign++;
      }
      const alias = /^(?:arn:aws:kms:([^:]+):(\d{12}):)?(alias\/.+)$/.exec(ref);
      if (alias) {
        const id = `${alias[2] ?? account}|${alias[1] ?? region}|${alias[3]}`;
        expect(aliases.get(id), `${record.eventTime} ${ref}`).toBe(key);
        seen.alias++;
        if (moved.has(id)) seen.movedAlias++;
        if (alias[1]) seen.aliasArn++;
      } else {
        expect([key, key.split("/")[1]]).toContain(ref);
      }
    }
    expect(seen.alias).toBeGreaterThan(0);
    expect(seen.movedAlias).toBeGreaterThan(0);
    expect(seen.foreign).toBeGreaterThan(0);
    expect(seen.deleted).toBeGreaterThan(0);
    expect(summary.records).toBe(BUSY.records);
  });
});
