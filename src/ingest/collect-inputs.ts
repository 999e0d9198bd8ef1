import type { Dirent } from "node:fs";
import { lstat, readdir, realpath, stat } from "node:fs/promises";
import { join } from "node:path";
import { type Issue, IssueCode } from "../issue.js";
import type { SkippedPath } from "./types.js";

/** One thing to read, or a problem found while looking for things to read, in the order met. */
export type InputEntry = { kind: "file"; path: string } | { kind: "stdin" } | { kind: "issue"; issue: Issue };

export interface CollectedInputs {
  entries: InputEntry[];
  skipped: SkippedPath[];
}

/** Inside directories only names like these are read; a path named on the command line is always read. */
const LOG_NAME = /\.(json|jsonl|ndjson|log|txt)(\.gz)?$|\.gz$/i;
/**
 * Directories of a delivery that hold no API calls: digest files (hash chains for validation) and Insights
 * events (unusual-activity summaries, whose eventSource and eventName are inside insightDetails).
 */
const NOT_CALLS: ReadonlyMap<string, string> = new Map([
  ["CloudTrail-Digest", "CloudTrail digest files hold no events"],
  ["CloudTrail-Insight", "CloudTrail Insights files hold no API calls"],
]);

function errorCode(error: unknown): string | undefined {
  if (typeof error !== "object" || error === null || !("code" in error)) return undefined;
  return typeof error.code === "string" ? error.code : undefined;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Names in code-unit order, as `Array.prototype.sort` orders strings. */
const byName = (a: Dirent, b: Dirent): number => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);

type Stats = Awaited<ReturnType<typeof stat>>;
/** What a path leads to: a stat, or a directory entry that is no link (its type is its target's). */
type Target = Pick<Stats, "isDirectory" | "isFile">;

/** Why a directory entry is passed over, or undefined when it is read. */
function skipReason(name: string, target: Target): string | undefined {
  if (target.isDirectory()) return NOT_CALLS.get(name);
  if (!target.isFile()) return "not a regular file";
  return LOG_NAME.test(name)
    ? undefined
    : "name is not that of a log file (.json, .jsonl, .ndjson, .log, .txt, .gz)";
}

class Walk {
  readonly entries: InputEntry[] = [];
  readonly skipped: SkippedPath[] = [];
  private readonly seenFiles = new Map<string, string>();

  issue(code: Issue["code"], file: string, reason: string): void {
    this.entries.push({ kind: "issue", issue: { code, file, reason } });
  }

  /** Visits a path named by the user: read whatever it is, walk it if it is a directory. */
  async visitNamed(path: string): Promise<void> {
    const target = await this.resolve(path);
    if (target === undefined) return;
    if (target.isDirectory()) await this.walkDirectory(path, new Set());
    else await this.addFile(path);
  }

  /** The stat of what `path` leads to, or undefined after raising an issue for a missing or looping path. */
  private async resolve(path: string): Promise<Stats | undefined> {
    try {
      await lstat(path);
    } catch (error) {
      if (errorCode(error) === "ENOENT")
        this.issue(IssueCode.danglingLink, path, "no such file or directory");
      else this.issue(IssueCode.fileUnreadable, path, message(error));
      return undefined;
    }
    try {
      return await stat(path);
    } catch (error) {
      const code = errorCode(error);
      if (code === "ENOENT") this.issue(IssueCode.danglingLink, path, "symbolic link to a missing target");
      else if (code === "ELOOP")
        this.issue(IssueCode.symlinkLoop, path, "symbolic links that lead to each other");
      else this.issue(IssueCode.fileUnreadable, path, message(error));
      return undefined;
    }
  }

  /**
   * Walks a directory. An entry that is no symbolic link is what its directory entry says and lies at
   * `real`/name: only links are looked up (lstat, stat, realpath), which keeps a walk of thousands of log
   * files from costing three round trips to the file system each.
   */
  private async walkDirectory(path: string, ancestors: ReadonlySet<string>, known?: string): Promise<void> {
    const real = known ?? (await realpath(path));
    if (ancestors.has(real)) {
      this.issue(IssueCode.symlinkLoop, path, `leads back to ${real}, which is already being walked`);
      return;
    }
    let entries: Dirent[];
    try {
      entries = (await readdir(path, { withFileTypes: true })).sort(byName);
    } catch (error) {
      this.issue(IssueCode.fileUnreadable, path, message(error));
      return;
    }
    const inside = new Set(ancestors).add(real);
    for (const entry of entries) {
      const { name } = entry;
      const child = join(path, name);
      if (name.startsWith(".")) {
        this.skipped.push({ path: child, reason: "hidden" });
        continue;
      }
      const link = entry.isSymbolicLink();
      const target = link ? await this.resolve(child) : entry;
      if (target === undefined) continue;
      const childReal = link ? undefined : join(real, name);
      const reason = skipReason(name, target);
      if (reason !== undefined) this.skipped.push({ path: child, reason });
      else if (target.isDirectory()) await this.walkDirectory(child, inside, childReal);
      else await this.addFile(child, childReal);
    }
  }

  private async addFile(path: string, known?: string): Promise<void> {
    const real = known ?? (await realpath(path).catch(() => path));
    const first = this.seenFiles.get(real);
    if (first !== undefined) {
      this.skipped.push({ path, reason: `same file as ${first}` });
      return;
    }
    this.seenFiles.set(real, path);
    this.entries.push({ kind: "file", path });
  }
}

/**
 * Expands the inputs into files to read, in a deterministic order: each path as given, directories walked
 * recursively with entries sorted by name. "-" is standard input. Missing paths, dangling links, symlink
 * loops and unreadable directories become issues; passed-over paths are listed with a reason.
 */
export async function collectInputs(paths: readonly string[]): Promise<CollectedInputs> {
  const walk = new Walk();
  for (const path of paths) {
    if (path === "-") walk.entries.push({ kind: "stdin" });
    else await walk.visitNamed(path);
  }
  return { entries: walk.entries, skipped: walk.skipped };
}
