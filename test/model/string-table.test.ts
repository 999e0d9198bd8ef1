import { describe, expect, it } from "vitest";
import { StringTable, stringHash } from "../../src/model/string-table.js";

/** More strings than a table looks up through a Map: interning crosses to hashed slots and grows them. */
const MANY = 70_000;
const name = (i: number) => `arn:aws:kms:us-east-1:111122223333:key/${i}`;

/** Two different strings with one stringHash, found by the birthday bound among a few hundred thousand. */
function collidingPair(): [string, string] {
  const seen = new Map<number, string>();
  for (let i = 0; ; i++) {
    const value = `eventId-${i}`;
    const other = seen.get(stringHash(value));
    if (other !== undefined) return [other, value];
    seen.set(stringHash(value), value);
  }
}

describe("StringTable", () => {
  it("gives each distinct string one id, in the order first interned, small and large alike", () => {
    const table = new StringTable();
    for (let i = 0; i < MANY; i++) expect(table.intern(name(i))).toBe(i);
    for (let i = MANY - 1; i >= 0; i -= 7) expect(table.intern(name(i))).toBe(i);
    expect(table.size).toBe(MANY);
    expect(table.idOf(name(12_345))).toBe(12_345);
    expect(table.idOf("absent")).toBe(-1);
    expect(table.value(MANY - 1)).toBe(name(MANY - 1));
  });

  it("tells apart two strings that share a hash", () => {
    const [first, second] = collidingPair();
    expect(first).not.toBe(second);
    const table = new StringTable([...Array.from({ length: MANY }, (_, i) => name(i))]);
    const a = table.intern(first);
    const b = table.intern(second);
    expect(a).not.toBe(b);
    expect(table.intern(first)).toBe(a);
    expect(table.intern(second, stringHash(second))).toBe(b);
    expect([table.idOf(first), table.idOf(second)]).toEqual([a, b]);
  });

  it("interns another table's strings by the hashes it sent, as if it hashed them itself", () => {
    const batch = new StringTable();
    for (let i = 0; i < 3000; i++) batch.intern(name(i % 1000));
    batch.add("event-1");
    batch.add("event-1");
    const sent = batch.hashes().slice();
    expect([...sent]).toEqual(batch.values.map(stringHash));

    const received = new StringTable(batch.values, sent);
    const collected = new StringTable(Array.from({ length: MANY }, (_, i) => name(i + 500)));
    const ids = received.values.map((value, id) => collected.intern(value, received.hashes()[id]));
    // name(500…999) were collected already; name(0…499) and the eventId are new, the eventId once.
    expect(ids.slice(500, 1000)).toEqual(Array.from({ length: 500 }, (_, i) => i));
    expect(ids.slice(0, 500)).toEqual(Array.from({ length: 500 }, (_, i) => MANY + i));
    expect(ids.slice(1000)).toEqual([MANY + 500, MANY + 500]);
  });

  it("finds a loaded table's strings without a lookup table, and the first of two equal ones once it has one", () => {
    const loaded = new StringTable(["a", "b", "a", ...Array.from({ length: MANY }, (_, i) => name(i))]);
    expect(loaded.idOf("b")).toBe(1);
    expect(loaded.intern("a")).toBe(0);
    expect(loaded.intern("new")).toBe(MANY + 3);
    expect(loaded.idOf("new")).toBe(MANY + 3);
  });

  it("hashes a string as FNV-1a over the low byte of each UTF-16 unit, one string or a table's many alike", () => {
    expect(stringHash("")).toBe(0x811c9dc5 | 0);
    expect(stringHash("a")).toBe(0xe40c292c | 0);
    expect(stringHash("foobar")).toBe(0xbf9cf968 | 0);
    expect(stringHash("\u0141")).toBe(stringHash("A"));
    // Non-Latin text, lone surrogates, a pair cut between two strings, and strings long enough to be hashed in
    // several chunks: a table hashes them together from their latin1 bytes, exactly as one at a time.
    const values = [
      "Ł☃😀",
      "\ud83d",
      "\ude00x",
      "plain",
      "",
      ...Array.from({ length: 6 }, (_, i) => `${"ctx".repeat(100_000)}${i}`),
    ];
    expect([...new StringTable([...values]).hashes()]).toEqual(values.map(stringHash));
  });

  it("stays linear when many strings share a hash, as a trail's chosen encryption contexts can", () => {
    // 40 units with low byte 0x41 at each of three places: 64,000 strings, one stringHash.
    const units = Array.from({ length: 40 }, (_, k) => String.fromCharCode(0x41 + 256 * k));
    const values = units.flatMap((a) => units.flatMap((b) => units.map((c) => `{"tenant":"${a}${b}${c}"}`)));
    expect(new Set(values.map(stringHash)).size).toBe(1);
    const table = new StringTable();
    expect(values.map((value) => table.intern(value))).toEqual(values.map((_, id) => id));
    expect(values.map((value) => table.idOf(value))).toEqual(values.map((_, id) => id));
    const again = values[123] ?? "";
    expect(table.intern(again, stringHash(again))).toBe(123);
  });
});
