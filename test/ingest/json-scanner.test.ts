import { describe, expect, it } from "vitest";
import { type ContainerKind, JsonScanner } from "../../src/ingest/json-scanner.js";
import { codes, eventIds, kmsRecords, readChunked } from "./helpers.js";

function scan(text: string, chunk = text.length) {
  const seen: string[] = [];
  const see = (line: string) => {
    seen.push(line);
    return null;
  };
  const scanner = new JsonScanner({
    value: (value) => see(`value ${value}`),
    open: (kind: ContainerKind) => seen.push(`open ${kind}`),
    element: (element) => see(`element ${element}`),
    skipped: (reason) => seen.push(`skipped ${reason}`),
    cut: (text, inElement, next) =>
      seen.push(`cut ${inElement ? "element" : "value"} before ${next} ${text}`),
  });
  for (let i = 0; i < text.length; i += chunk) scanner.push(text.slice(i, i + chunk));
  return { seen, loss: scanner.end() };
}

describe("JsonScanner", () => {
  it("hands out each element of Records, and nothing of the wrapper", () => {
    expect(scan('{"Records": [{"a": 1}, {"b": [2, {"c": "}"}]}]}').seen).toEqual([
      "open Records",
      'element {"a": 1}',
      'element {"b": [2, {"c": "}"}]}',
    ]);
  });

  it("ignores brackets and quotes inside strings, escaped quotes and backslashes included", () => {
    const tricky = String.raw`{"s": "a\"]}\\", "t": "\\\"{["}`;
    expect(JSON.parse(tricky)).toBeTruthy();
    for (const chunk of [1, 2, 3, 5, 1000]) {
      expect(scan(`[${tricky},${tricky}]`, chunk).seen).toEqual([
        "open array",
        `element ${tricky}`,
        `element ${tricky}`,
      ]);
    }
  });

  it("hands out scalar elements whole so the reader can reject them", () => {
    expect(scan('{"Records":[1, "x", null, {"a":1} ]}', 2).seen).toEqual([
      "open Records",
      "element 1",
      'element "x"',
      "element null",
      'element {"a":1}',
    ]);
  });

  it("hands out each top-level value of a concatenation, and bare tokens", () => {
    expect(scan('{"a":1}\n{"b":{"c":2}} [3] 42 ').seen).toEqual([
      'value {"a":1}',
      'value {"b":{"c":2}}',
      "open array",
      "element 3",
      "value 42",
    ]);
  });

  it("skips a stray closing bracket between top-level values and goes on", () => {
    expect(scan('{"a":1}}\n{"b":2}').seen).toEqual([
      'value {"a":1}',
      "skipped unexpected '}' between top-level values",
      'value {"b":2}',
    ]);
  });

  it("flags text after the Records array that is not more members", () => {
    expect(scan('{"Records":[{"a":1}], "NextToken": "t"}').seen).toEqual(["open Records", 'element {"a":1}']);
    expect(scan('{"Records":[{"a":1}] {"b":2}}').seen).toEqual([
      "open Records",
      'element {"a":1}',
      "skipped unexpected text after the streamed array (8 bytes ignored)",
    ]);
  });

  it("goes on at a record that starts inside a value the input ends inside, whatever the chunks", () => {
    // The cut string takes the next record's first quote for its end: its brackets are never seen.
    const text = '{"Records":[{"a":"cut, {"eventVersion":"1","b":[2]}]}';
    for (const chunk of [1, 5, text.length]) {
      const { seen, loss } = scan(text, chunk);
      expect(seen).toEqual([
        "open Records",
        'cut element before record {"a":"cut,',
        'element {"eventVersion":"1","b":[2]}',
      ]);
      expect(loss).toBeUndefined();
    }
  });

  it("reports what is lost when the input ends inside a value", () => {
    expect(scan('{"Records":[{"a":1},{"b":"é').loss).toEqual({ unclosed: true, inElement: true, bytes: 8 });
    expect(scan('{"Records":[{"a":1},{"b":2}]}').loss).toBeUndefined();
  });
});

describe("readSource over chunk boundaries", () => {
  const records = kmsRecords(12);
  const pretty = Buffer.from(JSON.stringify({ Records: records }, null, 2));
  const minified = Buffer.from(`\ufeff${JSON.stringify({ Records: records })}`);
  const ndjson = Buffer.from(records.map((record) => `${JSON.stringify(record)}\r\n`).join(""));

  for (const [name, bytes] of [
    ["pretty Records", pretty],
    ["minified Records with BOM", minified],
    ["NDJSON", ndjson],
  ] as const) {
    it(`gives the same records for every chunk size (${name})`, async () => {
      for (const size of [1, 2, 3, 7, 64, 1000, bytes.length]) {
        const { records: got, issues } = await readChunked(bytes, size);
        expect(issues).toEqual([]);
        expect(eventIds(got)).toEqual(eventIds(records));
        expect(got[3]).toEqual(records[3]);
      }
    });
  }

  it("decodes multi-byte characters split across chunks", async () => {
    const record = { ...kmsRecords(1)[0], userAgent: "ünïcødé 🔑 キー" };
    const bytes = Buffer.from(JSON.stringify({ Records: [record] }));
    for (const size of [1, 2, 3]) {
      const { records: got, issues } = await readChunked(bytes, size);
      expect(codes(issues)).toEqual([]);
      expect(got[0]?.userAgent).toBe("ünïcødé 🔑 キー");
    }
  });
});
