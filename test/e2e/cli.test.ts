import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { beforeAll, describe, expect, it, vi } from "vitest";
import type { KeyAtReport, KeyHistoryReport, ReplaySummary } from "../../src/query/index.js";
import { CLI, REPO, runCli, runJson } from "../support/run-cli.js";

const PAYMENTS = "arn:aws:kms:us-east-1:111122223333:key/a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d";
const NEW_KEY = "arn:aws:kms:us-east-1:111122223333:key/907103ba-2cd9-4153-989a-e5e47532ac3f";
const work = mkdtempSync(join(tmpdir(), "keytrail-cli-"));
const caseFile = join(work, "demo.case.gz");

describe("keytrail replay + key on the demo incident", () => {
  let summary: ReplaySummary;
  beforeAll(() => {
    summary = runJson<ReplaySummary>(["replay", "fixtures/demo", "-o", caseFile]);
  });

  it("accounts for every record and writes the case file", () => {
    expect(summary.records).toMatchObject({
      read: 95,
      kept: { kms: 71, cloudtrail: 2, sts: 3 },
      droppedIrrelevant: 19,
      accountedFor: true,
    });
    expect(summary.actions.sharedCopiesMerged).toBe(13);
    // Actions, as usage counts them: 9 failed calls (some cross-account, logged in both accounts, counted once)
    // and the denied PutKeyPolicy.
    expect(summary.actions.failedCalls).toBe(10);
    expect(summary.issues.total).toBe(0);
    expect(summary.coverage.map((span) => span.account)).toEqual(["111122223333", "999988887777"]);
    expect(readFileSync(caseFile).subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
  });

  it("answers key --at with the DESIGN §8 fields, from the case file and from the logs alike", () => {
    const args = ["key", PAYMENTS, "--at", "2024-12-17T13:45:00Z"];
    const fromCase = runJson<KeyAtReport>([...args, "-c", caseFile]);
    expect(fromCase).toMatchObject({
      state: "Unknown",
      stateKnown: false,
      policyVersion: 1,
      grants: [
        {
          grantId: expect.stringMatching(/^a8e26855/),
          grantee: "arn:aws:iam::999988887777:role/data-sync",
          operations: ["Decrypt", "ReEncryptFrom", "DescribeKey"],
        },
      ],
    });
    expect(fromCase.caveats.join(" ")).toMatch(/no CreateKey/);
    expect(runJson<KeyAtReport>([...args, "-i", "fixtures/demo"])).toEqual(fromCase);
  });

  it("resolves an alias as of the question's time", () => {
    const before = runJson<KeyAtReport>([
      "key",
      "alias/payments",
      "--at",
      "2024-12-17T10:00:00Z",
      "-c",
      caseFile,
    ]);
    const after = runJson<KeyAtReport>([
      "key",
      "alias/payments",
      "--at",
      "2024-12-17T13:20:00Z",
      "-c",
      caseFile,
    ]);
    expect(before.key.arn).toBe(PAYMENTS);
    expect(after.key.arn).toBe(NEW_KEY);
    expect(after.aliases).toEqual(["alias/payments"]);
  });

  it("gives the whole history without --at, with evidence eventIds", () => {
    const history = runJson<KeyHistoryReport>([
      "key",
      "a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d",
      "-c",
      caseFile,
    ]);
    expect(history.states.map((state) => state.value)).toEqual(["Unknown", "PendingDeletion"]);
    expect(history.events.map((event) => event.name)).toEqual([
      "PutKeyPolicy",
      "CreateGrant",
      "UpdateAlias",
      "ScheduleKeyDeletion",
    ]);
    expect(history.events.every((event) => event.eventIds.length > 0)).toBe(true);
  });

  it("renders a readable table, Markdown and CSV", () => {
    const table = runCli([
      "key",
      PAYMENTS,
      "--at",
      "2024-12-17T13:45:00Z",
      "-c",
      caseFile,
      "--format",
      "table",
    ]);
    expect(table.stdout).toContain("Grants in force");
    expect(table.stdout).toContain("999988887777:role/data-sync");
    const md = runCli(["key", PAYMENTS, "-c", caseFile, "--format", "md"]);
    expect(md.stdout).toContain("| from .. to | value |");
    const csv = runCli(["replay", "fixtures/demo", "--format", "csv"]);
    expect(csv.stdout.split("\n").slice(0, 2)).toEqual(["metric,value", "caseFile,"]);
  });

  it("keeps stderr clean when output is piped", () => {
    const run = runCli(["replay", "fixtures/demo", "--format", "json"]);
    expect(run.code).toBe(0);
    expect(run.stderr).toBe("");
  });
});

describe("keytrail errors and exit codes", () => {
  it("exits 1 with a hint for a key that is not in the case", () => {
    const run = runCli(["key", "alias/paymnts", "--at", "2024-12-17T10:00:00Z", "-c", caseFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/^keytrail: key: no key "alias\/paymnts"/);
    expect(run.stderr).toContain("hint: did you mean alias/payments?");
  });

  it("says when an alias named a key, rather than suggesting the very name typed, before it existed", () => {
    const run = runCli(["key", "alias/payments", "--at", "2024-12-17T00:00:00Z", "-c", caseFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toContain("did you mean alias/payments");
    expect(run.stderr).toContain(`hint: alias/payments named ${PAYMENTS} from 2024-12-17T08:00:04.000Z`);
  });

  it("exits 1 and lists the candidates when an alias named several keys over time", () => {
    const run = runCli(["key", "alias/payments", "-c", caseFile]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain(PAYMENTS);
    expect(run.stderr).toContain(NEW_KEY);
  });

  it.each([
    [["key", PAYMENTS, "--at", "yesterday", "-c", caseFile]],
    [["key", PAYMENTS]],
    [["key", PAYMENTS, "-c", caseFile, "-i", "fixtures/demo"]],
    [["nonsense"]],
  ])("exits 1 on bad usage: %j", (args) => {
    const run = runCli(args);
    expect(run.code).toBe(1);
    expect(run.stderr).not.toMatch(/internal error/);
  });

  it("exits 1 on a file that is not a case file", () => {
    const bogus = join(work, "bogus.case.gz");
    writeFileSync(bogus, gzipSync('{"format":"something-else"}'));
    const run = runCli(["key", PAYMENTS, "-c", bogus]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/not a keytrail case file/);
  });

  it("reads standard input with -", () => {
    const ndjson = readFileSync("fixtures/scenarios/formats/ndjson/kms-events.jsonl", "utf8");
    const summary = runJson<ReplaySummary>(["replay", "-"], ndjson);
    expect(summary.records.kept.kms).toBe(6);
    expect(summary.records.accountedFor).toBe(true);
  });

  it("counts bad records and goes on, unless --strict", () => {
    const broken = join(work, "broken.jsonl");
    const good = readFileSync("fixtures/scenarios/formats/ndjson/kms-events.jsonl", "utf8")
      .trimEnd()
      .split("\n");
    writeFileSync(
      broken,
      [good[0], "{not json", good[1], '{"eventSource":"kms.amazonaws.com","eventName":"Decrypt"}'].join("\n"),
    );
    const lenient = runJson<ReplaySummary>(["replay", broken]);
    expect(lenient.records.kept.kms).toBe(2);
    expect(lenient.issues.byCode).toEqual({ "invalid-json": 1, "missing-event-time": 1 });
    expect(lenient.issues.first.map((issue) => issue.line)).toEqual([2, 4]);
    const strict = runCli(["replay", broken, "--strict"]);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toContain(`${broken}: line 2`);
  });

  it.each([
    [
      ["replay", "fixtures/demo/nope", "-o", join(work, "x.case.gz")],
      /no such file or directory: fixtures\/demo\/nope/,
    ],
    [["usage", "-i", "fixtures/nope"], /no such file or directory: fixtures\/nope/],
    [
      ["replay", "fixtures/demo", "-o", join(work, "missing-dir", "x.case.gz")],
      /cannot write .*directory .*missing-dir does not exist/,
    ],
    [["replay", "fixtures/demo", "-o", work], /cannot write .*: is a directory/],
    [
      ["export", "--format", "json", "-c", caseFile, "-o", join(work, "missing-dir", "g.json")],
      /cannot write/,
    ],
    [
      ["key", PAYMENTS, "--at", "2024-02-30T10:00:00Z", "-c", caseFile],
      /"2024-02-30T10:00:00Z" is not a valid time/,
    ],
    [["key", PAYMENTS, "--at", "2024-03-01T24:00:00Z", "-c", caseFile], /is not a valid time/],
    [
      ["usage", "--from", "2024-12-17T14:00:00Z", "--to", "2024-12-17T13:00:00Z", "-c", caseFile],
      /--to: the window ends before it starts/,
    ],
    [
      ["findings", "--burst-count", "0", "-c", caseFile],
      /--burst-count: expected a whole number of at least 2/,
    ],
    [
      ["reach", "99998888777", "--at", "2024-12-17T13:45:00Z", "-c", caseFile],
      /"99998888777" is not an ARN, an account id or a service principal/,
    ],
    // Before connecting to a server that may not be there: the missing file is the first thing to say.
    [["neo4j", "push", "-c", join(work, "nosuch.case.gz")], /-c\/--case .*nosuch\.case\.gz: no such file/],
    [["gaps", "-c", work], /-c\/--case .* is a directory, not a case file/],
    [
      ["who-can", PAYMENTS, "--at", "2024-12-17T13:45:00Z", "--op", "kms:*", "-c", caseFile],
      /--op: one operation, not a pattern: leave --op out for every key operation/,
    ],
    // No policy condition can match a key without its prefix: the answer would be as if no context were given.
    [
      [
        "who-can",
        PAYMENTS,
        "--at",
        "2024-12-17T13:45:00Z",
        "--context",
        "Department=Finance",
        "-c",
        caseFile,
      ],
      /--context: "Department" is no condition key: .*did you mean kms:EncryptionContext:Department=Finance\?/,
    ],
    [["replay", "fixtures/demo", "--threads", "abc"], /--threads: expected a whole number from 1 to 64/],
    [["replay", "fixtures/demo", "--threads", "2.5"], /--threads: expected a whole number from 1 to 64/],
    // The inputs are the command's arguments, not an option: named as its help names them.
    [["replay", join(work, "no-such-dir")], /\n {2}<inputs>: no such file or directory: /],
  ])("exits 1 before any work on a mistyped path, time or window: %j", (args, message) => {
    const run = runCli(args);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(message);
    expect(run.stderr).not.toMatch(/internal error/);
  });

  it("refuses a case file over an input, inside an input directory, on stdout, or at a path naming a directory", () => {
    const logs = mkdtempSync(join(tmpdir(), "keytrail-evidence-"));
    const log = join(logs, "trail.json.gz");
    const evidence = readFileSync(
      "fixtures/demo/AWSLogs/111122223333/CloudTrail/us-east-1/2024/12/17/111122223333_CloudTrail_us-east-1_20241217T0805Z_ELZ7vSPxrNJO9yL5.json.gz",
    );
    writeFileSync(log, evidence);
    for (const [args, message] of [
      [
        ["replay", log, "-o", log],
        /--output: .*trail\.json\.gz is the input .*: write the case outside the logs/,
      ],
      [["replay", logs, "-o", join(logs, "case.gz")], /--output: .*case\.gz is inside the input /],
      [["replay", "fixtures/demo", "-o", "-"], /--output: a case file is binary/],
      [
        ["replay", "fixtures/demo", "-o", join(work, "new-dir/")],
        /cannot write .*new-dir\/: names a directory/,
      ],
    ] as const) {
      const run = runCli([...args]);
      expect(run.code).toBe(1);
      expect(run.stderr).toMatch(message);
    }
    // The log is untouched, and nothing was written beside it.
    expect(readFileSync(log)).toEqual(evidence);
    expect(existsSync(join(logs, "case.gz"))).toBe(false);
    expect(existsSync("-")).toBe(false);
  });

  it.skipIf(!existsSync("/dev/full"))(
    "says a full disk is full, exit 1, for an output file and for stdout",
    () => {
      const toFile = runCli(["export", "--format", "json", "-c", caseFile, "-o", "/dev/full"]);
      expect([toFile.code, toFile.stderr]).toEqual([1, "keytrail: cannot write: ENOSPC\n"]);
      const toStdout = spawnSync(
        `"${process.execPath}" "${CLI}" gaps -c "${caseFile}" --format json > /dev/full`,
        {
          shell: true,
          encoding: "utf8",
        },
      );
      expect([toStdout.status, toStdout.stderr]).toEqual([
        1,
        "keytrail: cannot write standard output: ENOSPC\n",
      ]);
    },
  );

  it("gives an alias ARN's lifetime only for the alias in that ARN's account and Region", () => {
    const elsewhere = runCli([
      "key",
      "arn:aws:kms:eu-west-1:111122223333:alias/payments",
      "--at",
      "2024-12-17T13:00:00Z",
      "-c",
      caseFile,
    ]);
    expect(elsewhere.code).toBe(1);
    expect(elsewhere.stderr).not.toMatch(/named arn:aws:kms/);
    const early = runCli([
      "key",
      "arn:aws:kms:us-east-1:111122223333:alias/payments",
      "--at",
      "2024-12-17T08:00:00Z",
      "-c",
      caseFile,
    ]);
    expect(early.stderr).toMatch(/alias\/payments named arn:aws:kms:us-east-1:111122223333:key\/a88cd345/);
  });

  it("writes nothing when the output cannot be written, and says why in one line", () => {
    const run = runCli(["replay", "fixtures/demo", "-o", join(work, "missing-dir", "x.case.gz")]);
    expect(run.stderr.trim().split("\n")).toHaveLength(2);
    expect(run.stdout).toBe("");
  });

  it("exports to standard output with -o -, the summary on stderr", () => {
    const run = runCli(["export", "--format", "json", "-c", caseFile, "-o", "-"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty("nodes");
    expect(JSON.parse(run.stderr)).toMatchObject({ format: "json", output: "-" });
  });

  it("stops quietly when the reader of its output goes away (| head)", () => {
    // Output larger than a pipe's buffer, so that writes are still pending when head exits.
    const trail = join(work, "generated");
    const generated = join(work, "generated.case.gz");
    expect(runCli(["generate", "--out", trail, "--records", "3000"]).code).toBe(0);
    expect(runCli(["replay", trail, "-o", generated]).code).toBe(0);
    const script = `node ${CLI} usage --calls -c ${generated} --format json | head -c 10; echo " $\{PIPESTATUS[0]}"`;
    const result = spawnSync("bash", ["-c", script], { cwd: REPO, encoding: "utf8" });
    expect(result.stdout).toBe('{\n  "query 0\n');
    expect(result.stderr).toBe("");
  });

  it("names a connection setting that came from the environment as its variable, before connecting", () => {
    vi.stubEnv("NEO4J_URI", "");
    try {
      const run = runCli(["neo4j", "query", "coverage-gaps"]);
      expect([run.code, run.stderr]).toEqual([
        1,
        "keytrail: invalid options\n  NEO4J_URI: Too small: expected string to have >=1 characters\n",
      ]);
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("prints its version", () => {
    const run = runCli(["--version"]);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it("finds the files it ships (package.json, the record scanner, queries/) from any working directory", () => {
    const elsewhere = mkdtempSync(join(tmpdir(), "keytrail-cwd-"));
    const run = (args: string[]) =>
      spawnSync(process.execPath, [CLI, ...args], { cwd: elsewhere, encoding: "utf8", input: "" });
    const { version } = JSON.parse(readFileSync(join(REPO, "package.json"), "utf8")) as { version: string };
    expect(run(["--version"]).stdout.trim()).toBe(version);
    const replay = run(["replay", join(REPO, "fixtures/scenarios/grants"), "--format", "json"]);
    expect(replay.stderr).toBe("");
    expect((JSON.parse(replay.stdout) as ReplaySummary).inputs.files).toBeGreaterThan(0);
    const unknown = run(["neo4j", "query", "no-such-query"]);
    expect(unknown.status).toBe(1);
    expect(unknown.stderr).toContain("who-can");
  });
});
