import { readFileSync, statSync } from "node:fs";
import { type FileHandle, open } from "node:fs/promises";
import { IssueCode } from "../issue.js";
import { escapeControls } from "../printable.js";
import { collectInputs, type InputEntry } from "./collect-inputs.js";
import { throttleProgress } from "./progress-throttle.js";
import { type ReadSourceOptions, type RecordSink, readBuffer, readSource } from "./read-source.js";
import type { FileSummary, IngestOptions, IngestProgress, IngestSink, IngestSummary } from "./types.js";

/** Files up to this size are read whole; larger ones are streamed so memory stays bounded. */
const WHOLE_FILE_BYTES = 64 * 1024 * 1024;

/** Large reads: the scanner's cost is per chunk as well as per byte. */
const READ_CHUNK_BYTES = 1024 * 1024;

/** Name used for standard input in summaries and issues. */
export const STDIN_NAME = "-";

function unreadable(file: string, sink: RecordSink, error: unknown): FileSummary {
  const reason = escapeControls(error instanceof Error ? error.message : String(error));
  sink.issue({ code: IssueCode.fileUnreadable, file, reason });
  return { file, format: null, gzip: false, bytes: 0, records: 0, dropped: 0, issues: 1 };
}

/**
 * A regular file small enough to read whole, read synchronously: a stat and one read cost a fraction of
 * their promise-based round trips, and blocking holds up no other read, since files are read one at a time
 * (by `ingest` on the main thread, as by a worker). Null for larger files and for anything else (FIFOs,
 * devices), which are streamed — and never opened here, so a pipe's writer never sees its reader come and go.
 */
function readWholeFile(path: string): Buffer | null {
  const stat = statSync(path);
  return stat.isFile() && stat.size <= WHOLE_FILE_BYTES ? readFileSync(path) : null;
}

/** Reads one file from disk (an unreadable one is an issue, not an error). Used by workers as well. */
export async function readPath(
  path: string,
  sink: RecordSink,
  readOptions: ReadSourceOptions,
): Promise<FileSummary> {
  let whole: Buffer | null;
  try {
    whole = readWholeFile(path);
  } catch (error) {
    return unreadable(path, sink, error);
  }
  // Errors of the sink are the caller's and propagate.
  if (whole) return readBuffer(whole, path, sink, readOptions);
  let handle: FileHandle;
  try {
    handle = await open(path);
  } catch (error) {
    return unreadable(path, sink, error);
  }
  try {
    const stream = handle.createReadStream({ highWaterMark: READ_CHUNK_BYTES, autoClose: false });
    return await readSource(stream, path, sink, readOptions);
  } finally {
    await handle.close().catch(() => undefined);
  }
}

function readEntry(
  entry: Exclude<InputEntry, { kind: "issue" }>,
  sink: RecordSink,
  options: IngestOptions,
  readOptions: ReadSourceOptions,
): Promise<FileSummary> {
  if (entry.kind === "stdin") {
    return readSource(asBytes(options.stdin ?? process.stdin), STDIN_NAME, sink, readOptions);
  }
  return readPath(entry.path, sink, readOptions);
}

/** A stream that had setEncoding called yields strings; the reader wants the bytes. */
async function* asBytes(stream: NodeJS.ReadableStream): AsyncGenerator<Uint8Array> {
  for await (const chunk of stream) yield typeof chunk === "string" ? Buffer.from(chunk) : chunk;
}

/**
 * Reads every input (files, directories walked recursively, "-" for stdin) and hands each record to the
 * sink, in a deterministic order, with its file and index. Bad input never throws: each problem is an
 * Issue to the sink, and reading goes on with the next record, line or file.
 */
export async function ingest(
  paths: string[],
  sink: IngestSink,
  options: IngestOptions = {},
): Promise<IngestSummary> {
  const { entries, skipped } = await collectInputs(paths);
  const files: FileSummary[] = [];
  const totals: IngestProgress = {
    filesDone: 0,
    filesTotal: entries.filter((entry) => entry.kind !== "issue").length,
    records: 0,
    dropped: 0,
    issues: 0,
    bytes: 0,
  };
  const progress = throttleProgress(options.progress, () => ({ ...totals }));
  const counting: RecordSink = {
    record(record, position) {
      totals.records++;
      sink.record(record, position);
    },
    issue(issue) {
      totals.issues++;
      sink.issue(issue);
    },
  };
  const readOptions: ReadSourceOptions = {
    onBytes(bytes) {
      totals.bytes += bytes;
      progress.tick();
    },
  };
  if (options.keep !== undefined) {
    const keep = options.keep;
    readOptions.keep = (record) => {
      if (keep(record)) return true;
      totals.dropped++;
      return false;
    };
  }
  if (options.drop !== undefined) {
    const drop = options.drop;
    readOptions.drop = (facts) => {
      if (!drop(facts)) return false;
      totals.dropped++;
      return true;
    };
  }
  for (const entry of entries) {
    if (entry.kind === "issue") {
      counting.issue(entry.issue);
      continue;
    }
    const summary = await readEntry(entry, counting, options, readOptions);
    files.push(summary);
    totals.filesDone++;
    progress.tick();
  }
  progress.flush();
  const { records, dropped, issues, bytes } = totals;
  return { files, skipped, records, dropped, issues, bytes };
}
