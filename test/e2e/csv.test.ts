import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { beforeAll, describe, expect, it } from "vitest";
import type {
  FindingsReport,
  GapsReport,
  KeyAtReport,
  KeyHistoryReport,
  ReachReport,
  TimelineReport,
  UsageReport,
  WhoCanReport,
} from "../../src/query/index.js";
import { type CsvRead, readTable } from "../support/parse-csv.js";
import { type CliRun, runCli } from "../support/run-cli.js";

/** `--format csv` as a user loads it: one table, full values, the same facts as the JSON. */
const PAYMENTS = "arn:aws:kms:us-east-1:111122223333:key/a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d";
const DATA_SYNC = "arn:aws:iam::999988887777:role/data-sync";
const work = mkdtempSync(join(tmpdir(), "keytrail-csv-"));
const caseFile = join(work, "demo.case.gz");

// Several tests ask the same question: each question runs once per format.
const answers = new Map<string, CliRun>();
function answer(args: string[], format: "json" | "csv"): string {
  const key = JSON.stringify([...args, format]);
  const run = answers.get(key) ?? runCli([...args, "--format", format]);
  answers.set(key, run);
  if (run.code !== 0) throw new Error(`keytrail ${args.join(" ")} exited ${run.code}: ${run.stderr}`);
  expect(run.stderr).toBe("");
  return run.stdout;
}

const json = <T>(args: string[]): T => JSON.parse(answer(args, "json")) as T;
const csv = (args: string[]): CsvRead => readTable(answer(args, "csv"));

/** Fields of a JSON item that no column holds: a nested object may be held field by field (`a.b`). */
function missingColumns(item: object, columns: readonly string[], prefix = ""): string[] {
  return Object.entries(item).flatMap(([name, value]) => {
    const path = prefix + name;
    if (columns.includes(path)) return [];
    if (value === null && columns.some((column) => column.startsWith(`${path}.`))) return [];
    if (value !== null && typeof value === "object" && !Array.isArray(value))
      return missingColumns(value, columns, `${path}.`);
    return [path];
  });
}

/** The rows DuckDB reads from a CSV document, strictly (RFC 4180 quoting, every cell as text). */
async function duckdbRows(text: string): Promise<Record<string, string>[]> {
  const file = join(mkdtempSync(join(work, "duckdb-")), "table.csv");
  writeFileSync(file, text);
  const connection = await (await DuckDBInstance.create(":memory:")).connect();
  try {
    const result = await connection.runAndReadAll(
      `SELECT * FROM read_csv('${file}', header = true, delim = ',', quote = '"', escape = '"', ` +
        "new_line = '\\n', all_varchar = true, strict_mode = true)",
    );
    return result
      .getRowObjects()
      .map((row) =>
        Object.fromEntries(
          Object.entries(row).map(([column, cell]) => [column, cell === null ? "" : String(cell)]),
        ),
      );
  } finally {
    connection.closeSync();
  }
}

const ids = (cell: string | undefined) => (cell ? cell.split(" ") : []);
const metric = (table: CsvRead, name: string) => table.rows.find((row) => row.metric === name)?.value;

describe("--format csv on the demo incident", () => {
  beforeAll(() => {
    expect(runCli(["replay", "fixtures/demo", "-o", caseFile, "--format", "json"]).code).toBe(0);
  });

  it("replay: metric,value rows of the JSON summary, by dotted path", () => {
    const table = csv(["replay", "fixtures/demo"]);
    expect(table.columns).toEqual(["metric", "value"]);
    expect(metric(table, "records.read")).toBe("95");
    expect(metric(table, "records.kept.kms")).toBe("71");
    expect(metric(table, "records.accountedFor")).toBe("true");
    expect(metric(table, "caseFile")).toBe("");
    expect(metric(table, "coverage.1.account")).toBe("999988887777");
    expect(metric(table, "span.to")).toBe("2024-12-17T16:40:09.000Z");
  });

  it("who-can: one row per route of each principal, with full ids and evidence", () => {
    const args = ["who-can", PAYMENTS, "--at", "2024-12-17T13:45:00Z", "-c", caseFile];
    const report = json<WhoCanReport>(args);
    const table = csv(args);
    expect(table.columns.slice(0, 10)).toEqual([
      "section",
      "key.arn",
      "at",
      "key.state",
      "usable",
      "blockedBy",
      "blockedOperations",
      "principal",
      "kind",
      "operations",
    ]);
    const routes = report.principals.reduce((n, principal) => n + Math.max(1, principal.via.length), 0);
    expect(table.rows).toHaveLength(routes);
    expect(table.rows.every((row) => row["key.arn"] === PAYMENTS && row.section === "principals")).toBe(true);
    const grant = report.principals
      .find((p) => p.principal === DATA_SYNC)
      ?.via.find((v) => v.type === "grant");
    const grantRow = table.rows.find((row) => row["via.type"] === "grant");
    expect(grantRow).toMatchObject({
      principal: DATA_SYNC,
      "via.grantId": grant?.grantId,
      "via.eventIds": grant?.eventIds.join(" "),
      "via.sid": "",
      conditional: "false",
    });
    expect(grant?.grantId).toHaveLength(64);
    const anyone = table.rows.find((row) => row.principal === "*");
    expect(JSON.parse(anyone?.["via.conditions"] ?? "")).toEqual({
      StringEquals: { "kms:CallerAccount": "999988887777" },
    });
    expect(anyone?.conditional).toBe("true");
  });

  it("who-can: every row says when the key's state refuses what the principals are listed for", () => {
    const lifecycle = new URL("../../fixtures/scenarios/key-lifecycle", import.meta.url).pathname;
    const key = "arn:aws:kms:us-east-1:111122223333:key/df521c30-b8ac-457e-bec9-b87dda67bb05";
    const args = ["who-can", key, "--at", "2024-03-04T13:14:00Z", "-i", lifecycle];
    const report = json<WhoCanReport>(args);
    expect(report.blockedBy).toBe("Disabled");
    const table = csv(args);
    expect(table.rows.length).toBeGreaterThan(0);
    for (const row of table.rows) {
      expect(row).toMatchObject({ "key.state": "Disabled", usable: "false", blockedBy: "Disabled" });
      expect(row.blockedOperations?.split(" ")).toEqual(report.blockedOperations);
    }
  });

  it("reach: a row per key route, per use, with counts and full key ARNs", () => {
    const args = ["reach", DATA_SYNC, "--at", "2024-12-17T13:45:00Z", "-c", caseFile];
    const report = json<ReachReport>(args);
    const table = csv(args);
    const sections = table.rows.map((row) => row.section);
    const routes = report.keys.reduce((n, key) => n + Math.max(1, key.via.length), 0);
    expect(sections.filter((s) => s === "keys")).toHaveLength(routes);
    expect(sections.filter((s) => s === "used")).toHaveLength(report.keys.flatMap((k) => k.used).length);
    const decrypt = table.rows.find((row) => row.section === "used" && row.operation === "Decrypt");
    expect(decrypt).toMatchObject({
      principal: DATA_SYNC,
      at: "2024-12-17T13:45:00.000Z",
      from: "",
      "key.arn": PAYMENTS,
      count: "11",
      denied: "4",
      "via.type": "",
    });
  });

  it("usage: one row per group, every sampled eventId, errors as JSON", () => {
    const args = ["usage", "--key", PAYMENTS, "-c", caseFile];
    const report = json<UsageReport>(args);
    const table = csv(args);
    expect(table.rows).toHaveLength(report.calls.length);
    const group = report.calls.find((g) => g.principal === DATA_SYNC && g.operation === "Decrypt");
    const row = table.rows.find((r) => r.principal === DATA_SYNC && r.operation === "Decrypt");
    expect(group?.eventIds.length).toBeGreaterThan(1);
    expect(ids(row?.eventIds)).toEqual(group?.eventIds);
    expect(row).toMatchObject({ key: PAYMENTS, count: "11", denied: "4", keyRole: "key" });
    expect(JSON.parse(row?.errors ?? "")).toEqual({ AccessDenied: 3, KMSInvalidStateException: 1 });
    expect(JSON.parse(row?.["attribution.grantIds"] ?? "")).toEqual(group?.attribution.grantIds);
    const noKey = table.rows.filter((r) => r.key === "");
    expect(noKey).toHaveLength(report.calls.filter((g) => g.key === null).length);
  });

  it("usage --calls: one row per call, an empty attribution for failed calls", () => {
    const args = ["usage", "--key", PAYMENTS, "--principal", DATA_SYNC, "--calls", "-c", caseFile];
    const report = json<UsageReport>(args);
    const table = csv(args);
    expect(table.columns.slice(0, 3)).toEqual(["time", "eventId", "alsoEventIds"]);
    expect(table.rows.map((row) => row.eventId)).toEqual(report.detail?.map((call) => call.eventId));
    const failed = table.rows.find((row) => row.errorCode === "AccessDenied");
    expect(failed?.["attribution.basis"]).toBe("");
    expect(table.rows.some((row) => row["attribution.basis"] === "grant")).toBe(true);
  });

  it("key --at: metric,value rows of the key's state, grants in full", () => {
    const args = ["key", PAYMENTS, "--at", "2024-12-17T13:45:00Z", "-c", caseFile];
    const report = json<KeyAtReport>(args);
    const table = csv(args);
    expect(table.columns).toEqual(["metric", "value"]);
    expect(metric(table, "key.arn")).toBe(PAYMENTS);
    expect(metric(table, "stateKnown")).toBe(String(report.stateKnown));
    expect(metric(table, "grants.0.grantId")).toBe(report.grants[0]?.grantId);
    expect(metric(table, "grants.0.grantee")).toBe(DATA_SYNC);
    expect(metric(table, "description")).toBe("");
    expect(metric(table, "policy.document.Statement.0.Sid")).toBe("Enable IAM User Permissions");
  });

  it("key (history): one row per entry of each list, section naming the list", () => {
    const args = ["key", PAYMENTS, "-c", caseFile];
    const report = json<KeyHistoryReport>(args);
    const table = csv(args);
    const count = (section: string) => table.rows.filter((row) => row.section === section).length;
    expect(count("states")).toBe(report.states.length);
    expect(count("grants")).toBe(report.grants.length);
    expect(count("events")).toBe(report.events.length);
    expect(table.rows.every((row) => row["key.arn"] === PAYMENTS)).toBe(true);
    const open = table.rows.find((row) => row.section === "states" && row.value === "PendingDeletion");
    expect(open?.to).toBe("");
    const grant = table.rows.find((row) => row.section === "grants");
    expect(grant).toMatchObject({
      grantId: report.grants[0]?.grantId,
      operations: "Decrypt ReEncryptFrom DescribeKey",
      operationsKnown: "true",
    });
  });

  it("timeline: one row per line with all its eventIds and the full key ARNs", () => {
    const args = ["timeline", "--key", PAYMENTS, "-c", caseFile];
    const report = json<TimelineReport>(args);
    const table = csv(args);
    expect(table.rows).toHaveLength(report.entries.length);
    report.entries.forEach((entry, index) => {
      const row = table.rows[index];
      expect(ids(row?.eventIds)).toEqual(entry.eventIds);
      expect(ids(row?.keys)).toEqual(entry.keys);
      expect(row?.end).toBe(entry.end ?? "");
      expect(row?.actor).toBe(entry.actor ?? "");
    });
    const run = table.rows.find((row) => row.kind === "usage" && ids(row.eventIds).length > 5);
    expect(run?.keys).toBe(PAYMENTS);
  });

  it("gaps: coverage and gap rows in one table, an empty cell for a window open to the end", () => {
    const args = ["gaps", "-c", caseFile];
    const report = json<GapsReport>(args);
    const table = csv(args);
    expect(table.rows.map((row) => row.section)).toEqual([
      ...report.coverage.map(() => "coverage"),
      ...report.gaps.map(() => "gaps"),
    ]);
    const stopped = table.rows.find((row) => row.reason === "logging-stopped");
    expect(ids(stopped?.eventIds)).toHaveLength(2);
    const unknown = table.rows.find((row) => row.reason === "unknown-key-state" && row.keyArn === PAYMENTS);
    expect(unknown?.to).toBe("2024-12-17T14:00:00.000Z");
    const open = report.gaps.filter((gap) => gap.to === null).length;
    expect(table.rows.filter((row) => row.section === "gaps" && row.to === "")).toHaveLength(open);
  });

  it("findings: one row per finding, every evidence eventId, keys and principals in full", () => {
    const args = ["findings", "-c", caseFile];
    const report = json<FindingsReport>(args);
    const table = csv(args);
    expect(table.rows).toHaveLength(report.findings.length);
    report.findings.forEach((finding, index) => {
      const row = table.rows[index];
      expect(row).toMatchObject({
        detector: finding.detector,
        severity: finding.severity,
        time: finding.time,
      });
      expect(ids(row?.eventIds)).toEqual(finding.eventIds);
      expect(ids(row?.["blastRadius.keys"])).toEqual(finding.blastRadius.keys);
      expect(ids(row?.["blastRadius.principals"])).toEqual(finding.blastRadius.principals);
      expect(row?.["blastRadius.usage.to"]).toBe(finding.blastRadius.usage.to ?? "");
      expect(row).toMatchObject({
        confidence: finding.confidence,
        confidenceReason: finding.confidenceReason ?? "",
      });
    });
    const burst = table.rows.find((row) => row.detector === "denied-burst");
    expect(ids(burst?.eventIds)).toHaveLength(6);
    expect(table.columns).toEqual(expect.arrayContaining(["confidence", "confidenceReason"]));
    const lowered = table.rows.filter((row) => row.confidence !== "recorded");
    expect(lowered.map((row) => [row.detector, row.confidence])).toEqual([["policy-opened", "inferred"]]);
    expect(lowered[0]?.confidenceReason).toMatch(/not in the trail: it may already have trusted them$/);
  });

  it("has a column for every field of the JSON items it lists", () => {
    const at = ["--at", "2024-12-17T13:45:00Z", "-c", caseFile];
    const missing = <R>(args: string[], items: (report: R) => object[]) => [
      ...new Set(items(json<R>(args)).flatMap((item) => missingColumns(item, csv(args).columns))),
    ];
    const asVia = (route: object) =>
      Object.fromEntries(Object.entries(route).map(([name, value]) => [`via.${name}`, value]));
    expect(missing(["timeline", "-c", caseFile], (r: TimelineReport) => r.entries)).toEqual([]);
    expect(missing(["findings", "-c", caseFile], (r: FindingsReport) => r.findings)).toEqual([]);
    expect(missing(["gaps", "-c", caseFile], (r: GapsReport) => [...r.coverage, ...r.gaps])).toEqual([]);
    expect(missing(["usage", "-c", caseFile], (r: UsageReport) => r.calls)).toEqual([]);
    expect(missing(["usage", "--calls", "-c", caseFile], (r: UsageReport) => r.detail ?? [])).toEqual([]);
    expect(
      missing(["who-can", PAYMENTS, ...at], (r: WhoCanReport) =>
        r.principals.flatMap(({ via, ...principal }) => [principal, ...via.map(asVia)]),
      ),
    ).toEqual([]);
    expect(
      missing(["reach", DATA_SYNC, ...at], (r: ReachReport) =>
        r.keys.flatMap(({ via, used, ...key }) => [key, ...used, ...via.map(asVia)]),
      ),
    ).toEqual([]);
    expect(
      missing(["key", PAYMENTS, "-c", caseFile], (r: KeyHistoryReport) => [
        ...r.states,
        ...r.grants,
        ...r.rotations,
        ...r.events,
      ]),
    ).toEqual([]);
  });

  it("loads in DuckDB as one table with the same rows", async () => {
    const commands = [
      ["timeline", "-c", caseFile],
      ["findings", "-c", caseFile],
      ["who-can", PAYMENTS, "--at", "2024-12-17T13:45:00Z", "-c", caseFile],
      ["key", PAYMENTS, "-c", caseFile],
    ];
    for (const args of commands) {
      const text = answer(args, "csv");
      expect(await duckdbRows(text)).toEqual(readTable(text).rows);
    }
  });
});

/** A trail whose log strings attack a spreadsheet and the CSV structure itself. */
const KEY_ID = "0b7e3c1d-5f2a-4c6e-9d8b-7a1f2e3d4c5b";
const HOSTILE_KEY = `arn:aws:kms:us-east-1:111122223333:key/${KEY_ID}`;
const DESCRIPTION = '=HYPERLINK("http://evil.example/?q=1","open, me")\nfake,row';
const ALIAS = 'alias/a,"b"\nc';
const CONTEXT = { "=dept": 'fin,"q"\nnext\u009b' };

function record(
  eventName: string,
  minute: number,
  requestParameters: unknown,
  responseElements: unknown = null,
) {
  return {
    eventVersion: "1.09",
    userIdentity: {
      type: "IAMUser",
      principalId: "AIDAEXAMPLEADMIN",
      arn: "arn:aws:iam::111122223333:user/admin",
      accountId: "111122223333",
      userName: "admin",
    },
    eventTime: `2024-05-01T10:0${minute}:00Z`,
    eventSource: "kms.amazonaws.com",
    eventName,
    awsRegion: "us-east-1",
    sourceIPAddress: "198.51.100.9",
    userAgent: "aws-cli/2.15.30",
    requestParameters,
    responseElements,
    requestID: `10000000-0000-4000-8000-00000000000${minute}`,
    eventID: `00000000-0000-4000-8000-00000000000${minute}`,
    readOnly: false,
    resources: [{ accountId: "111122223333", type: "AWS::KMS::Key", ARN: HOSTILE_KEY }],
    eventType: "AwsApiCall",
    managementEvent: true,
    recipientAccountId: "111122223333",
    eventCategory: "Management",
  };
}

describe("--format csv with hostile log strings", () => {
  const trail = join(work, "hostile.json");
  beforeAll(() => {
    const records = [
      record(
        "CreateKey",
        0,
        {
          description: DESCRIPTION,
          keyUsage: "ENCRYPT_DECRYPT",
          keySpec: "SYMMETRIC_DEFAULT",
          origin: "AWS_KMS",
          tags: [
            { tagKey: "@team", tagValue: "=1+2" },
            { tagKey: "n", tagValue: "-3" },
          ],
        },
        { keyMetadata: { keyId: KEY_ID, arn: HOSTILE_KEY, description: DESCRIPTION, keyState: "Enabled" } },
      ),
      record("CreateAlias", 1, { aliasName: ALIAS, targetKeyId: KEY_ID }),
      record(
        "CreateGrant",
        2,
        {
          keyId: KEY_ID,
          granteePrincipal: "arn:aws:iam::111122223333:role/App",
          operations: ["Decrypt"],
          constraints: { encryptionContextEquals: CONTEXT },
        },
        { grantId: "f".repeat(64), keyId: HOSTILE_KEY },
      ),
    ];
    writeFileSync(trail, JSON.stringify({ Records: records }));
  });

  it("key --at: the description and tags come back as logged, escaped and defused as documented", async () => {
    const table = csv(["key", HOSTILE_KEY, "--at", "2024-05-01T10:05:00Z", "-i", trail]);
    expect(metric(table, "description")).toBe(
      `'=HYPERLINK("http://evil.example/?q=1","open, me")\\nfake,row`,
    );
    expect(metric(table, "aliases.0")).toBe('alias/a,"b"\\nc');
    expect(metric(table, "tags.@team")).toBe("'=1+2");
    expect(metric(table, "tags.n")).toBe("-3");
    expect(metric(table, "grants.0.constraints.encryptionContextEquals.=dept")).toBe('fin,"q"\\nnext\\x9b');
    expect(metric(table, "grants.0.constraints.encryptionContextSubset")).toBe("");
    expect(table.rows).toEqual(
      await duckdbRows(answer(["key", HOSTILE_KEY, "--at", "2024-05-01T10:05:00Z", "-i", trail], "csv")),
    );
  });

  it("timeline and key history: no fake row, the grant's encryption context round-trips as JSON", () => {
    const timeline = csv(["timeline", "-i", trail]);
    const report = json<TimelineReport>(["timeline", "-i", trail]);
    expect(timeline.rows).toHaveLength(report.entries.length);
    const raw = answer(["timeline", "-i", trail], "csv");
    expect(raw.split("\n")).toHaveLength(report.entries.length + 2);
    const controls = [...raw].filter((char) => {
      const code = char.charCodeAt(0);
      return (code < 0x20 && char !== "\n") || (code >= 0x7f && code <= 0x9f);
    });
    expect(controls).toEqual([]);
    expect(timeline.rows.some((row) => row.summary?.includes('alias/a,"b"\\nc'))).toBe(true);
    const history = csv(["key", HOSTILE_KEY, "-i", trail]);
    const grant = history.rows.find((row) => row.section === "grants");
    expect(JSON.parse(grant?.constraints ?? "")).toEqual({
      encryptionContextEquals: CONTEXT,
      encryptionContextSubset: null,
    });
    const tag = history.rows.find((row) => row.section === "tags" && row.value?.startsWith("'@team"));
    expect(tag?.value).toBe("'@team==1+2");
  });
});
