import { describe, expect, it } from "vitest";
import { type UsageRow, UsageStore } from "../../src/model/index.js";

const A = "arn:aws:kms:us-east-1:111122223333:key/aaaaaaaa-0000-4000-8000-000000000001";
const B = "arn:aws:kms:us-east-1:111122223333:key/bbbbbbbb-0000-4000-8000-000000000002";

function row(time: number, key: string | null, destinationKey: string | null = null): UsageRow {
  return {
    time,
    eventId: `e-${time}`,
    alsoEventIds: [],
    keysFromAlias: [],
    operation: destinationKey ? "ReEncrypt" : "Decrypt",
    key,
    keyRef: null,
    destinationKey,
    principal: "arn:aws:iam::111122223333:role/App",
    sessionName: null,
    invokedBy: null,
    errorCode: null,
    account: "111122223333",
    region: "us-east-1",
    sourceIp: null,
    encryptionContext: null,
  };
}

function store(): UsageStore {
  const usage = new UsageStore();
  for (const entry of [row(0, A), row(1, B), row(2, A, B), row(3, null), row(4, B, B), row(5, A)]) {
    usage.append(entry);
  }
  return usage;
}

describe("UsageStore.rowsOfKey", () => {
  it("lists the rows naming a key as key or destination, once each, in row order", () => {
    const usage = store();
    expect(usage.rowsOfKey(A)).toEqual([0, 2, 5]);
    expect(usage.rowsOfKey(B)).toEqual([1, 2, 4]);
    expect(usage.rowsOfKey("arn:aws:kms:us-east-1:111122223333:key/none")).toEqual([]);
  });

  it("limits the rows to a [start, end) range", () => {
    expect(store().rowsOfKey(A, 1, 5)).toEqual([2]);
  });

  it("sees rows appended and fields changed after it was first asked", () => {
    const usage = store();
    expect(usage.rowsOfKey(B)).toEqual([1, 2, 4]);
    usage.setField(1, "key", A);
    usage.append(row(6, B));
    expect(usage.rowsOfKey(A)).toEqual([0, 1, 2, 5]);
    expect(usage.rowsOfKey(B)).toEqual([2, 4, 6]);
  });

  it("answers the same on a store reloaded from its serialized form", () => {
    const reloaded = new UsageStore(JSON.parse(JSON.stringify(store().toJSON())));
    expect(reloaded.rowsOfKey(A)).toEqual([0, 2, 5]);
    reloaded.append(row(6, A));
    expect(reloaded.rowsOfKey(A)).toEqual([0, 2, 5, 6]);
    expect(reloaded.field(6, "key")).toBe(A);
  });
});

describe("UsageStore.sorted", () => {
  it("is the store of its rows appended in (time, eventId) order: same rows, same string table", () => {
    const usage = new UsageStore();
    const rows = [row(5, A), { ...row(2, B), eventId: "e-2b" }, row(2, A, B), row(0, null), row(9, B, B)];
    for (const entry of rows) usage.append(entry);
    usage.setField(0, "account", "444455556666"); // leaves "111122223333" to rows that still name it
    usage.addAlsoEventId(2, "e-other-copy");
    usage.setKeyFromAlias(0, "destinationKey", B);
    const expected = new UsageStore();
    const inOrder = Array.from({ length: usage.size }, (_, index) => usage.row(index)).sort(
      (a, b) => a.time - b.time || (a.eventId < b.eventId ? -1 : 1),
    );
    for (const entry of inOrder) expected.append(entry);
    const sorted = usage.sorted();
    expect(sorted.toJSON()).toEqual(expected.toJSON());
    expect(sorted.row(1)).toMatchObject({ time: 2, eventId: "e-2", alsoEventIds: ["e-other-copy"] });
    // Row 0 (time 5) is third in time order, and its mark goes with it.
    expect([0, 1, 2, 3, 4].map((index) => sorted.keyFromAlias(index, "destinationKey"))).toEqual([
      false,
      false,
      false,
      true,
      false,
    ]);
  });
});

describe("UsageStore.appendFrom", () => {
  it("copies a row whole, its keys' marks included", () => {
    const source = new UsageStore();
    source.append(row(1, A));
    source.append({ ...row(2, A), keysFromAlias: ["key"] });
    const target = new UsageStore();
    const ids = target.idsFor(source);
    target.appendFrom(source, 1, ids);
    target.appendFrom(source, 0, ids);
    expect(target.row(0)).toEqual(source.row(1));
    expect([target.keyFromAlias(0, "key"), target.keyFromAlias(1, "key")]).toEqual([true, false]);
  });
});

describe("UsageStore columns", () => {
  // More rows than a new store first makes room for, so its columns grow (and are copied) several times.
  const ROWS = 1000;
  function many(): UsageStore {
    const usage = new UsageStore();
    for (let i = 0; i < ROWS; i++) usage.append({ ...row(ROWS - i, i % 3 === 0 ? A : B), eventId: `e-${i}` });
    return usage;
  }

  it("keeps every row as its columns grow", () => {
    const usage = many();
    expect(usage.size).toBe(ROWS);
    expect(usage.ids("key").length).toBe(ROWS);
    expect(usage.times().length).toBe(ROWS);
    for (const i of [0, 63, 64, 65, 500, ROWS - 1]) {
      expect(usage.row(i)).toMatchObject({ time: ROWS - i, eventId: `e-${i}`, key: i % 3 === 0 ? A : B });
    }
    expect(usage.field(ROWS, "eventId")).toBeNull();
    expect(usage.timeAt(ROWS)).toBeNaN();
  });

  it("writes plain arrays to JSON and gives typed ones as data, with the same rows", () => {
    const usage = many();
    const json = JSON.parse(JSON.stringify(usage.toJSON()));
    expect(json.time).toHaveLength(ROWS);
    expect(json.columns.key).toHaveLength(ROWS);
    const batch = usage.toData();
    expect(batch.time).toBeInstanceOf(Float64Array);
    expect(batch.columns.key).toBeInstanceOf(Int32Array);
    expect(Array.from(batch.time)).toEqual(json.time);
    expect(Array.from(batch.columns.eventId)).toEqual(json.columns.eventId);
    const fromBatch = new UsageStore(structuredClone(batch));
    const fromJson = new UsageStore(json);
    expect(fromBatch.sorted().toJSON()).toEqual(fromJson.sorted().toJSON());
  });

  it("sorts a grown store by time, every row once", () => {
    const sorted = many().sorted();
    expect(sorted.size).toBe(ROWS);
    expect(Array.from(sorted.times())).toEqual(Array.from({ length: ROWS }, (_, i) => i + 1));
    expect(sorted.field(0, "eventId")).toBe(`e-${ROWS - 1}`);
    expect(sorted.rowsOfKey(A)).toHaveLength(Math.ceil(ROWS / 3));
  });

  it("refuses to set a field of a row it does not have", () => {
    expect(() => many().setField(ROWS, "key", A)).toThrow(RangeError);
  });
});
