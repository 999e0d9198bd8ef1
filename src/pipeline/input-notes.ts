import { InputError } from "../errors.js";
import { describeIssue } from "../issue.js";
import type { ReplayStats } from "../model/index.js";

/** Issues listed in full in the error for inputs that gave no record at all. */
const ISSUES_SHOWN = 3;

const plural = (n: number, word: string) => `${n.toLocaleString("en-US")} ${word}${n === 1 ? "" : "s"}`;

/** `invalid-json 3, gzip-truncated 1`: the issue codes met, most frequent first. */
export function issueCounts(byCode: Readonly<Record<string, number>>): string {
  return Object.entries(byCode)
    .sort(([a, m], [b, n]) => n - m || a.localeCompare(b))
    .map(([code, n]) => `${code} ${n.toLocaleString("en-US")}`)
    .join(", ");
}

/** Paths as a shell would need them typed again, for the `keytrail replay …` a message suggests. */
export function shellWords(paths: readonly string[]): string {
  return paths
    .map((path) => (/^[\w./@:+,=-]+$/.test(path) ? path : `'${path.replace(/'/g, "'\\''")}'`))
    .join(" ");
}

/**
 * The one line a question answered from logs replayed on the fly prints on stderr when reading met issues:
 * the answer stands, but on what could be read, and the user must know that something was skipped. Null when
 * nothing was.
 */
export function inputIssuesNote(stats: ReplayStats, paths: readonly string[]): string | null {
  if (stats.issues === 0) return null;
  return (
    `read ${plural(stats.recordsRead, "record")} from ${plural(stats.files, "file")}; ` +
    `${plural(stats.issues, "issue")} (${issueCounts(stats.issuesByCode)}) ${stats.issues === 1 ? "was" : "were"} skipped` +
    ` — run \`keytrail replay ${shellWords(paths)}\` for the list`
  );
}

/** The same fact as a caveat of a document (a report), which outlives the terminal it was made in. */
export function inputIssuesCaveat(stats: ReplayStats): string | null {
  if (stats.issues === 0) return null;
  return (
    `input issues: ${plural(stats.issues, "issue")} (${issueCounts(stats.issuesByCode)}) met while reading ` +
    `${plural(stats.files, "file")} were skipped; what they held is missing from this answer ` +
    "(`keytrail replay` lists them)"
  );
}

/**
 * Who read the logs: a question (`-i`), whose user runs `keytrail replay` to see the details, or `replay`
 * itself, which prints them in its summary and then writes no case file.
 */
export type LogReader = "question" | "replay";

/**
 * Logs that gave no record at all (every file unreadable, not JSON, or a case file passed to -i by mistake)
 * cannot answer a question, nor make a case worth writing: an empty answer would read as "nothing happened".
 * Null when something was read.
 */
export function nothingReadError(
  stats: ReplayStats,
  paths: readonly string[],
  reader: LogReader = "question",
): InputError | null {
  if (stats.recordsRead > 0) return null;
  const where = shellWords(paths);
  const byReplay = reader === "replay";
  if (stats.files === 0 && stats.issues === 0) {
    const skipped = byReplay
      ? "the summary lists the paths skipped; no case file was written"
      : "`keytrail replay` lists the paths it skipped";
    return new InputError(`no log file found in ${where}`, {
      hint: `directories are searched for *.json, *.jsonl, *.ndjson, *.log, *.txt and *.gz files; ${skipped}`,
    });
  }
  if (stats.issues === 0) return null;
  const shown = stats.firstIssues.slice(0, ISSUES_SHOWN).map((issue) => `\n  ${describeIssue(issue)}`);
  const more =
    stats.issues > shown.length ? `\n  … and ${plural(stats.issues - shown.length, "more issue")}` : "";
  return new InputError(
    `no record could be read from ${where} (${plural(stats.files, "file")}; ${plural(stats.issues, "issue")}: ${issueCounts(stats.issuesByCode)})${shown.join("")}${more}`,
    {
      hint: byReplay
        ? "the summary lists the first issues; no case file was written"
        : `a case file written by \`keytrail replay -o\` is read with -c/--case; \`keytrail replay ${where}\` lists every issue`,
    },
  );
}
