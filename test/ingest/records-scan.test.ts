import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { isRelevantRecord } from "../../src/events/index.js";
import type { ReadSourceOptions } from "../../src/ingest/index.js";
import { readBuffer } from "../../src/ingest/read-source.js";
import type { RecordFacts } from "../../src/ingest/record-facts.js";
import { FIRST_FACT_ID, SLOTS_PER_RECORD, scanRecordsDocument } from "../../src/ingest/records-scan.js";
import type { Issue, SourcePosition } from "../../src/issue.js";
import { kmsRecord, readChunked } from "./helpers.js";

/**
 * The WebAssembly lane must change nothing but speed: for any bytes, reading them whole (the lane, when the
 * bytes are one clean Records document) gives the same records, positions, issues, summary and facts offered
 * to `drop` as the streaming reader, which never takes the lane.
 */

const repoFixtures = fileURLToPath(new URL("../../fixtures/", import.meta.url));
const sharedData = fileURLToPath(new URL("../../../shared/data/", import.meta.url));
const sharedPresent = existsSync(sharedData);
if (!sharedPresent) {
  if (process.env.CI === "true")
    throw new Error(`shared data folder ${sharedData} is missing (required under CI=true)`);
  console.warn(`skipping the shared-data part of the record scan tests: ${sharedData} not found`);
}

interface Read {
  records: unknown[];
  positions: SourcePosition[];
  issues: Issue[];
  offered: RecordFacts[];
  summary: unknown;
}

/** The replay's own filter, recording every fact set it is offered. */
function filters(offered: RecordFacts[]): ReadSourceOptions {
  return {
    keep: (record) => isRelevantRecord(record),
    drop: (facts) => {
      offered.push(facts);
      return !isRelevantRecord(facts);
    },
  };
}

async function readWhole(bytes: Buffer, file: string): Promise<Read> {
  const read: Read = { records: [], positions: [], issues: [], offered: [], summary: undefined };
  const sink = {
    record(record: unknown, position: SourcePosition) {
      read.records.push(record);
      read.positions.push(position);
    },
    issue(issue: Issue) {
      read.issues.push(issue);
    },
  };
  read.summary = await readBuffer(bytes, file, sink, filters(read.offered));
  return read;
}

async function readStreamed(bytes: Buffer, file: string): Promise<Read> {
  const offered: RecordFacts[] = [];
  const { records, positions, issues, summary } = await readChunked(bytes, 4093, file, filters(offered));
  return { records, positions, issues, offered, summary };
}

/**
 * Line numbers aside: a stream of a document on one line is read line by line, so its records say line 1;
 * the whole-document lane gives no line. (None of these inputs is one line ending in a newline: the streaming
 * reader takes that for NDJSON and offers no facts to `drop`; docs/input-formats.md says so.)
 */
function withoutLines(read: Read): Read {
  const drop = <T extends { line?: number }>({ line: _line, ...rest }: T) => rest;
  return { ...read, positions: read.positions.map(drop), issues: read.issues.map(drop) };
}

async function expectSameReads(bytes: Buffer, file = "mem.json"): Promise<Read> {
  const whole = await readWhole(bytes, file);
  expect(withoutLines(whole), file).toEqual(withoutLines(await readStreamed(bytes, file)));
  return whole;
}

function recordsDocument(records: readonly object[]): Buffer {
  return Buffer.from(JSON.stringify({ Records: records }));
}

/** A small seeded generator (mulberry32), so a failing case can be replayed. */
function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const PIECES = [
  '"',
  "\\",
  "{",
  "}",
  "[",
  "]",
  ",",
  ":",
  " ",
  "\n",
  "\t",
  "é",
  "😀",
  "a",
  "Records",
  "\\u0022",
];
const FACT_NAMES = ["eventSource", "eventName", "eventTime", "recipientAccountId", "awsRegion"];
const SOURCES = ["kms.amazonaws.com", "s3.amazonaws.com", "sts.amazonaws.com", "cloudtrail.amazonaws.com"];

function fuzzDocument(next: () => number): string {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(next() * items.length)] as T;
  const text = (): string => Array.from({ length: Math.floor(next() * 40) }, () => pick(PIECES)).join("");
  const value = (depth: number): unknown => {
    const roll = next();
    if (depth < 3 && roll < 0.15) return Object.fromEntries([[text(), value(depth + 1)]]);
    if (depth < 3 && roll < 0.25) return [value(depth + 1), value(depth + 1)];
    if (roll < 0.3) return roll < 0.28 ? 7 : null;
    return text();
  };
  const record = (): Record<string, unknown> => {
    const fields: Record<string, unknown> = {};
    for (const name of FACT_NAMES) {
      const roll = next();
      if (roll < 0.75) fields[name] = name === "eventSource" ? pick(SOURCES) : `v-${name}-${text()}`;
      else if (roll < 0.85) fields[name] = value(1);
    }
    if (next() < 0.05) fields[pick(["Records", "Events", "detail"])] = [];
    fields[text()] = value(0);
    return fields;
  };
  const space = () => pick(["", " ", "\n  ", "\r\n", "\t"]);
  let doc = `{${space()}"Records"${space()}:${space()}[${space()}`;
  const count = Math.floor(next() * 6);
  for (let i = 0; i < count; i++) {
    let recordText = JSON.stringify(record(), null, next() < 0.3 ? 2 : undefined);
    // An escaped key may spell a fact's name: only parsing can tell.
    if (next() < 0.1) recordText = recordText.replace('"eventSource"', '"event\\u0053ource"');
    doc += `${i > 0 ? `,${space()}` : ""}${recordText}${space()}`;
  }
  doc += `]${space()}}${space()}`;
  const damage = next();
  if (damage < 0.15) return doc.slice(0, Math.floor(next() * doc.length));
  if (damage < 0.35) {
    const at = Math.floor(next() * doc.length);
    return next() < 0.5
      ? doc.slice(0, at) + doc.slice(at + 1)
      : doc.slice(0, at) + pick(PIECES) + doc.slice(at);
  }
  return doc;
}

function jsonFiles(dir: string): string[] {
  return readdirSync(dir)
    .flatMap((entry) => {
      const path = join(dir, entry);
      if (statSync(path).isDirectory()) return jsonFiles(path);
      return /\.json(\.gz)?$/.test(entry) ? [path] : [];
    })
    .sort();
}

describe("the WebAssembly record scan", () => {
  it("finds each record's bounds and facts in the bytes", () => {
    const source = {
      eventSource: "s3.amazonaws.com",
      eventName: "GetObject",
      eventTime: "2024-06-01T10:00:00Z",
    };
    const records = [source, { ...kmsRecord(1), awsRegion: "eu-central-1", userAgent: 'naïve ☃ \\" ]}' }];
    const bytes = recordsDocument(records);
    const scanned = scanRecordsDocument(bytes);
    const slots = scanned?.slots;
    expect(slots).toBeDefined();
    expect(slots?.length).toBe(2 * SLOTS_PER_RECORD);
    const text = (from: number, to: number) => bytes.toString("utf8", from, to);
    const [start = 0, end = 0, plain, sourceAt = 0, sourceLength = 0] =
      slots?.subarray(SLOTS_PER_RECORD) ?? [];
    expect(JSON.parse(text(start, end))).toEqual(records[1]);
    expect(plain).toBe(1);
    expect(text(sourceAt, sourceAt + sourceLength)).toBe("kms.amazonaws.com");
    // The first record has no recipientAccountId: its slot says absent.
    expect(slots?.[3 + 2 * 3]).toBe(-1);
    // Repeated facts also come as ids in the scanner's dictionary; eventTime never does.
    const textOf = (record: number, fact: number) =>
      scanned?.texts[slots?.[record * SLOTS_PER_RECORD + FIRST_FACT_ID + fact] ?? -1];
    expect([textOf(0, 0), textOf(0, 1), textOf(0, 2), textOf(0, 3)]).toEqual([
      "s3.amazonaws.com",
      "GetObject",
      undefined,
      undefined,
    ]);
    expect([textOf(1, 0), textOf(1, 4)]).toEqual(["kms.amazonaws.com", "eu-central-1"]);
  });

  it("keeps its dictionary from one document to the next, and reads on past its room", async () => {
    const idOf = (bytes: Buffer) => scanRecordsDocument(bytes)?.slots[FIRST_FACT_ID + 1];
    const named = (eventName: string) => recordsDocument([{ ...kmsRecord(1), eventName }]);
    expect(idOf(named("ListAliases"))).toBe(idOf(named("ListAliases")));
    expect(idOf(named(`Long${"x".repeat(80)}`))).toBe(-1);
    // More distinct texts than the dictionary holds: those past its room are decoded, and read the same.
    const many = Array.from({ length: 5000 }, (_, i) => ({
      ...kmsRecord(i),
      eventName: `Name${i}`,
      recipientAccountId: String(100_000_000_000 + i),
    }));
    const read = await expectSameReads(recordsDocument(many));
    expect(read.offered.map((facts) => facts.eventName)).toEqual(many.map((record) => record.eventName));
  });

  it("says no to anything but one whole Records document", () => {
    const whole = recordsDocument([kmsRecord(1)]).toString();
    for (const other of [
      `${whole.slice(0, -1)},"NextToken":"abc"}`,
      `${whole} junk`,
      whole.slice(0, -5),
      `[${whole}]`,
      '{"Events":[]}',
      '{"Records":[1]}',
      `${whole}${whole}`,
    ]) {
      expect(scanRecordsDocument(Buffer.from(other)), other.slice(-40)).toBeNull();
    }
    expect(scanRecordsDocument(Buffer.from(' {\n"Records" : [ ] }\n'))?.slots).toEqual(new Int32Array(0));
  });

  it("reads hostile text exactly as the streaming reader does", async () => {
    const hostile = [
      { ...kmsRecord(2), requestParameters: { encryptionContext: { '"}{\\': '\\\\\\" ]] [[ {{ "' } } },
      { ...kmsRecord(3), eventName: 'Decrypt"' },
      { ...kmsRecord(4), eventSource: "kms.amazonaws.com\\" },
      { eventSource: "s3.amazonaws.com", eventName: "PutObject", eventTime: 17, awsRegion: null },
      {
        eventSource: "s3.amazonaws.com",
        eventName: "PutObject",
        eventTime: "2024-01-01T00:00:00Z",
        Records: [],
      },
      {
        eventSource: "s3.amazonaws.com",
        eventName: "GetObject",
        eventTime: "t",
        detail: { eventName: "Decrypt" },
      },
      { ...kmsRecord(5), recipientAccountId: "ünïcødé-😀", awsRegion: "eu-west-1" },
      {},
    ];
    await expectSameReads(recordsDocument(hostile));
    // Duplicate keys (the later wins), escaped keys and a BOM, written as text.
    const duplicate =
      '\ufeff{"Records":[{"eventSource":"kms.amazonaws.com","eventName":"GetObject","eventSource":"s3.amazonaws.com",' +
      '"eventTime":"2024-01-01T00:00:00Z"},{"event\\u0053ource":"kms.amazonaws.com","eventName":"Decrypt",' +
      '"eventSource":"s3.amazonaws.com","eventTime":"2024-01-01T00:00:00Z"}]}';
    const read = await expectSameReads(Buffer.from(duplicate));
    // Both calls are S3's: the first dropped from its facts, the second (its key escaped) parsed first.
    expect(read.offered.map((facts) => facts.eventSource)).toEqual(["s3.amazonaws.com"]);
    expect(read.summary).toMatchObject({ records: 0, dropped: 2 });
  });

  it("grows its output when a document holds more records than guessed", async () => {
    const tiny = Array.from({ length: 20_000 }, () => ({}));
    const read = await expectSameReads(recordsDocument(tiny));
    expect(read.records).toHaveLength(20_000);
  });

  it("agrees with the streaming reader on 600 random documents, damaged ones included", async () => {
    const next = random(20261124);
    for (let i = 0; i < 600; i++) {
      await expectSameReads(Buffer.from(fuzzDocument(next)), `fuzz-${i}.json`);
    }
  });

  it("agrees with the streaming reader on every fixture trail file", async () => {
    const files = jsonFiles(repoFixtures);
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) {
      await expectSameReads(readFileSync(file), file);
    }
  });

  it.skipIf(!sharedPresent)("agrees with the streaming reader on every public sample", async () => {
    let records = 0;
    for (const file of jsonFiles(sharedData))
      records += (await expectSameReads(readFileSync(file), file)).records.length;
    expect(records).toBeGreaterThan(0);
  });
});
