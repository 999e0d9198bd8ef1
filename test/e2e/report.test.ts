import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../support/run-cli.js";

const PAYMENTS_ID = "a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d";
const work = mkdtempSync(join(tmpdir(), "keytrail-report-cli-"));

describe("keytrail report", () => {
  it("writes the key report as Markdown, chosen by the .md extension", () => {
    const file = join(work, "payments.md");
    const run = runCli(["report", "--key", PAYMENTS_ID, "-o", file, "-i", "fixtures/demo"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe("");
    expect(run.stderr).toMatch(new RegExp(`wrote ${file} \\(md, \\d+ sections, [1-9]\\d* findings\\)`));
    const md = readFileSync(file, "utf8");
    expect(md).toMatch(/^# keytrail report: key a88cd345/);
    expect(md).toContain("PutKeyPolicy");
    expect(md).toContain("logging-stopped");
  });

  it("writes a self-contained HTML page, and --format decides when the extension does not", () => {
    const file = join(work, "window.out");
    const run = runCli([
      ...["report", "--from", "2024-12-17T13:00:00Z", "--to", "2024-12-17T14:30:00Z"],
      ...["-o", file, "--format", "html", "-i", "fixtures/demo"],
    ]);
    expect(run.code, run.stderr).toBe(0);
    const html = readFileSync(file, "utf8");
    expect(html).toMatch(/^<!DOCTYPE html>/);
    expect(html).toContain("<h2>Findings</h2>");
    expect(html).not.toMatch(/<script|<link|src=/);
  });

  it("writes to stdout with -o -, and refuses a --format the file's extension contradicts", () => {
    const run = runCli(["report", "--key", PAYMENTS_ID, "-o", "-", "--format", "md", "-i", "fixtures/demo"]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toMatch(/^# keytrail report: key a88cd345/);
    expect(run.stderr).toMatch(/wrote the report to stdout \(md, /);
    const file = join(work, "conflict.md");
    const conflict = runCli([
      "report",
      "--key",
      PAYMENTS_ID,
      "-o",
      file,
      "--format",
      "html",
      "-i",
      "fixtures/demo",
    ]);
    expect(conflict.code).toBe(1);
    expect(conflict.stderr).toMatch(/--format html does not match/);
  });

  it("resolves an alias over the report's window, as usage does", () => {
    // alias/payments moved from a88cd345 to 907103ba at 13:17: inside the window it names only the second.
    const file = join(work, "alias.md");
    const window = ["--from", "2024-12-17T13:30:00Z", "--to", "2024-12-17T14:00:00Z"];
    const run = runCli(["report", "--key", "alias/payments", ...window, "-o", file, "-i", "fixtures/demo"]);
    expect(run.code, run.stderr).toBe(0);
    expect(readFileSync(file, "utf8")).toContain("907103ba-2cd9-4153-989a-e5e47532ac3f");
    const whole = runCli(["report", "--key", "alias/payments", "-o", file, "-i", "fixtures/demo"]);
    expect(whole.code).toBe(1);
    expect(whole.stderr).toMatch(/"alias\/payments" names 2 keys in the report's window/);
  });

  it("exits 1 when the report has no subject or the key is not in the case", () => {
    const file = join(work, "none.md");
    const none = runCli(["report", "-o", file, "-i", "fixtures/demo"]);
    expect(none.code).toBe(1);
    expect(none.stderr).toMatch(/--key K, --principal P, or a window/);
    const missing = runCli(["report", "--key", "alias/nope", "-o", file, "-i", "fixtures/demo"]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/no key "alias\/nope"/);
  });
});
