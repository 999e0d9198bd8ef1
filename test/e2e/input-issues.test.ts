import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadData } from "../../src/cli/load-data.js";
import { writeCaseFile } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { reportMarkdown, reportSections } from "../../src/render/index.js";
import { errorText } from "../support/error-text.js";
import { runCli } from "../support/run-cli.js";

const work = mkdtempSync(join(tmpdir(), "keytrail-input-issues-"));
const junk = join(work, "app.log");
writeFileSync(junk, "2024-03-02 10:00:00 INFO started\n2024-03-02 10:00:01 INFO ready\n");

/** What a question command prints on stderr after loading its data, and the error it fails with, if any. */
async function load(input: string[]): Promise<{ stderr: string; error: unknown; records: number }> {
  let stderr = "";
  try {
    const model = await loadData({ input }, (text) => {
      stderr += text;
    });
    return { stderr, error: undefined, records: model.data.stats.recordsRead };
  } catch (error) {
    return { stderr, error, records: 0 };
  }
}

describe("questions answered from logs read on the fly say what could not be read", () => {
  it("issues met while reading: one line on stderr with the counts and how to list them", async () => {
    const { stderr, error, records } = await load(["fixtures/broken"]);
    expect(error).toBeUndefined();
    expect(records).toBe(18);
    expect(stderr).toBe(
      "keytrail: read 18 records from 8 files; 9 issues (bad-lookup-event 2, invalid-json 2, empty-file 1, " +
        "gzip-corrupt 1, gzip-truncated 1, invalid-utf8 1, nul-bytes 1) were skipped — run " +
        "`keytrail replay fixtures/broken` for the list\n",
    );
  });

  it("clean logs: nothing on stderr", async () => {
    const { stderr, error } = await load(["fixtures/demo"]);
    expect(error).toBeUndefined();
    expect(stderr).toBe("");
  });

  it("no record at all (a text log): exit 1, naming the file and the reason", async () => {
    const { error } = await load([junk]);
    const { code, text } = errorText(error);
    expect(code).toBe(1);
    expect(text).toContain(
      `keytrail: no record could be read from ${junk} (1 file; 1 issue: invalid-json 1)`,
    );
    expect(text).toContain(`${junk}: invalid-json: not JSON: "2024-03-02 10:00:00 INFO started`);
  });

  it("a case file passed to -i: exit 1, with a hint to use -c", async () => {
    const caseFile = join(work, "demo.case.gz");
    await writeCaseFile(caseFile, await replayInputs(["fixtures/demo"]), ["fixtures/demo"], "0.0.0-test");
    const { code, text } = errorText((await load([caseFile])).error);
    expect(code).toBe(1);
    expect(text).toContain("unknown-format");
    expect(text).toContain("hint: a case file written by `keytrail replay -o` is read with -c/--case");
  });

  it("a directory with no log file: exit 1", async () => {
    const empty = mkdtempSync(join(tmpdir(), "keytrail-no-logs-"));
    writeFileSync(join(empty, "README.md"), "notes\n");
    const { code, text } = errorText((await load([empty])).error);
    expect(code).toBe(1);
    expect(text).toContain(`no log file found in ${empty}`);
  });
});

describe("the CLI (built) on broken inputs", () => {
  it("usage -i: JSON on stdout unchanged, the issues on stderr", () => {
    const run = runCli(["usage", "-i", "fixtures/broken", "--format", "json"]);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toHaveProperty("totals");
    expect(run.stderr).toMatch(/^keytrail: read 18 records from 8 files; 9 issues \(.*\) were skipped/);
  });

  it("usage -i <a text log>: exit 1 and a message naming it", () => {
    const run = runCli(["usage", "-i", junk, "--format", "json"]);
    expect(run.code).toBe(1);
    expect(run.stdout).toBe("");
    expect(run.stderr).toContain(`no record could be read from ${junk}`);
  });

  it("report -i: the document carries an input-issues caveat", () => {
    const out = join(work, "r.md");
    const run = runCli([
      "report",
      "--from",
      "2024-01-01",
      "--to",
      "2025-01-01",
      "-i",
      "fixtures/broken",
      "-o",
      out,
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).toContain("9 issues");
    expect(readFileSync(out, "utf8")).toContain("input issues: 9 issues (bad-lookup-event 2, invalid-json 2");
  });
});

describe("replay of logs that give no record", () => {
  it("prints its summary, exits 1 and writes no case file: a case of nothing would answer 'no findings'", () => {
    const caseFile = join(work, "nothing.case.gz");
    const run = runCli(["replay", junk, "-o", caseFile, "--format", "json"]);
    expect(run.code).toBe(1);
    expect(existsSync(caseFile)).toBe(false);
    const summary = JSON.parse(run.stdout);
    expect(summary.records.read).toBe(0);
    expect(summary.issues.byCode).toEqual({ "invalid-json": 1 });
    expect(run.stderr).toContain(`no record could be read from ${junk} (1 file; 1 issue: invalid-json 1)`);
    expect(run.stderr).toContain("hint: the summary lists the first issues; no case file was written");
  });

  it("of a directory with no log file: the same, with where it looked", () => {
    const empty = mkdtempSync(join(tmpdir(), "keytrail-no-logs-"));
    writeFileSync(join(empty, "notes.md"), "notes\n");
    const caseFile = join(work, "empty.case.gz");
    const run = runCli(["replay", empty, "-o", caseFile, "--format", "json"]);
    expect(run.code).toBe(1);
    expect(existsSync(caseFile)).toBe(false);
    expect(JSON.parse(run.stdout).inputs.skipped).toEqual([
      { path: join(empty, "notes.md"), reason: expect.any(String) },
    ]);
    expect(run.stderr).toContain(`no log file found in ${empty}`);
  });
});

describe("report rendering keeps the input caveat", () => {
  it("shows it in the Caveats section", async () => {
    const { report } = await import("../../src/query/index.js");
    const { inputIssuesCaveat } = await import("../../src/pipeline/index.js");
    const model = await loadData({ input: ["fixtures/broken"] }, () => undefined);
    const answer = report(model, { subject: { window: true }, from: 0, to: Date.now(), generatedAt: 0 });
    const caveat = inputIssuesCaveat(model.data.stats);
    expect(caveat).toMatch(/^input issues: 9 issues \(bad-lookup-event 2, invalid-json 2/);
    const withCaveat = { ...answer, caveats: [caveat ?? "", ...answer.caveats] };
    expect(reportMarkdown(withCaveat, reportSections(withCaveat))).toContain("input issues: 9 issues");
  });
});
