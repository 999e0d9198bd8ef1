import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { jsonPieces, numbersBytes } from "../../src/model/case-file.js";
import { CASE_VERSION, CaseModel, readCaseFile, UsageStore, writeCaseFile } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { keyAt } from "../../src/query/index.js";
import { errorText } from "../support/error-text.js";

const demo = replayInputs(["fixtures/demo"]);

async function written(): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "keytrail-case-")), "demo.case.gz");
  await writeCaseFile(path, await demo, ["fixtures/demo"], "0.0.0-test");
  return path;
}

function tamper(
  path: string,
  change: (document: {
    version: number;
    data: { usage: { columns: Record<string, number[]>; keysFromAlias?: unknown } };
  }) => void,
) {
  const document = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8"));
  change(document);
  writeFileSync(path, gzipSync(JSON.stringify(document)));
}

describe("case file", () => {
  it("reloads exactly what replay built", async () => {
    const data = await demo;
    const { header, data: loaded } = await readCaseFile(await written());
    expect(header).toMatchObject({
      format: "keytrail-case",
      version: CASE_VERSION,
      inputs: ["fixtures/demo"],
    });
    expect(loaded.keys).toEqual(JSON.parse(JSON.stringify(data.keys)));
    expect(loaded.usage.size).toBe(data.usage.size);
    expect(loaded.usage.row(7)).toEqual(data.usage.row(7));
  });

  it("refuses a version it does not know", async () => {
    const path = await written();
    tamper(path, (document) => {
      document.version = CASE_VERSION + 1;
    });
    await expect(readCaseFile(path)).rejects.toMatchObject({ code: "case-file" });
  });

  it("refuses usage columns of different lengths", async () => {
    const path = await written();
    tamper(path, (document) => {
      document.data.usage.columns.eventId?.pop();
    });
    await expect(readCaseFile(path)).rejects.toMatchObject({ code: "case-file" });
  });

  it("reads a case written before usage rows were marked keysFromAlias as marking none", async () => {
    const path = await written();
    tamper(path, (document) => {
      delete document.data.usage.keysFromAlias;
    });
    const { data } = await readCaseFile(path);
    expect(data.usage.size).toBe((await demo).usage.size);
    expect(data.usage.hasKeysFromAlias()).toBe(false);
    expect(data.usage.row(7).keysFromAlias).toEqual([]);
  });

  it("refuses a keysFromAlias mark that names no key column", async () => {
    const path = await written();
    tamper(path, (document) => {
      document.data.usage.keysFromAlias = { "7": ["keyRef"] };
    });
    await expect(readCaseFile(path)).rejects.toMatchObject({ code: "case-file" });
  });

  it("reads a case written as several gzip members", async () => {
    const path = await written();
    const text = gunzipSync(readFileSync(path));
    const cut = Math.floor(text.length / 3);
    writeFileSync(
      path,
      Buffer.concat([
        gzipSync(text.subarray(0, cut)),
        gzipSync(text.subarray(cut, 2 * cut)),
        gzipSync(text.subarray(2 * cut)),
      ]),
    );
    const { data } = await readCaseFile(path);
    expect(data.usage.size).toBe((await demo).usage.size);
  });
});

/** What `-c` on a file prints and exits with, as the CLI shows a CaseFileError. */
async function refusal(path: string): Promise<{ code: number; text: string }> {
  const error = await readCaseFile(path).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  return errorText(error);
}

describe("custom key stores in the case file", () => {
  const scenario = "fixtures/scenarios/custom-key-store";
  const KEY = "arn:aws:kms:us-east-1:111122223333:key/80b8d7f3-d6f7-42dd-9d21-44923a6e98fa";

  async function writtenStore(): Promise<string> {
    const path = join(await mkdtemp(join(tmpdir(), "keytrail-case-")), "store.case.gz");
    await writeCaseFile(path, await replayInputs([scenario]), [scenario], "0.0.0-test");
    return path;
  }

  it("reloads the stores, each key's store and its own states", async () => {
    const data = await replayInputs([scenario]);
    const { data: loaded } = await readCaseFile(await writtenStore());
    expect(loaded.customKeyStores).toEqual(JSON.parse(JSON.stringify(data.customKeyStores)));
    expect(loaded.keys[0]).toMatchObject({ customKeyStoreId: "cks-5d8e2f1a9b3c4e607" });
    expect(loaded.keys[0]?.ownStates?.map((state) => state.value)).toEqual(["Enabled"]);
  });

  it("reads a case written before stores were followed: no store, the states as written", async () => {
    const path = await writtenStore();
    const document = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8"));
    delete document.data.customKeyStores;
    for (const key of document.data.keys) {
      delete key.customKeyStoreId;
      delete key.ownStates;
    }
    writeFileSync(path, gzipSync(JSON.stringify(document)));
    const { data } = await readCaseFile(path);
    const model = new CaseModel(data);
    const key = model.keysByArn.get(KEY);
    expect(key && model.storeOf(key)).toBeNull();
    expect(keyAt(model, KEY, Date.parse("2024-07-09T10:10:00Z"))).toMatchObject({
      state: "Unavailable",
      customKeyStore: null,
    });
  });

  it("refuses a store whose connection is not a list of intervals", async () => {
    const path = await writtenStore();
    const document = JSON.parse(gunzipSync(readFileSync(path)).toString("utf8"));
    document.data.customKeyStores[0].connection = "Connected";
    writeFileSync(path, gzipSync(JSON.stringify(document)));
    await expect(readCaseFile(path)).rejects.toMatchObject({ code: "case-file" });
  });
});

describe("a damaged case file is refused with exit 1, naming the file and what is wrong", () => {
  it("a gzip cut short: damaged or truncated", async () => {
    const path = await written();
    const bytes = readFileSync(path);
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length / 2)));
    const { code, text } = await refusal(path);
    expect(code).toBe(1);
    expect(text).toContain(
      `keytrail: case file ${path}: damaged or truncated (gzip: unexpected end of file)`,
    );
    expect(text).toContain("hint: replay the logs again");
  });

  it("gzip of cut JSON: damaged or truncated", async () => {
    const path = await written();
    const text = gunzipSync(readFileSync(path));
    writeFileSync(path, gzipSync(text.subarray(0, text.length - 100)));
    const refused = await refusal(path);
    expect(refused.code).toBe(1);
    expect(refused.text).toContain(`case file ${path}: damaged or truncated (its JSON does not parse`);
  });

  it('a record whose shape is wrong (keys[0].states = "x"): names the field, no internal error', async () => {
    const path = await written();
    tamper(path, (document) => {
      (document.data as unknown as { keys: { states: unknown }[] }).keys[0] = {
        ...(document.data as unknown as { keys: object[] }).keys[0],
        states: "x",
      };
    });
    const { code, text } = await refusal(path);
    expect(code).toBe(1);
    expect(text).toMatch(new RegExp(`case file ${path}: damaged or truncated \\(data\\.keys\\.0\\.states: `));
    expect(text).not.toContain("internal error");
  });

  it("other record lists are checked too (an alias without a name, an event time as text)", async () => {
    for (const change of [
      (data: Record<string, { [k: string]: unknown }[]>) => {
        if (data.aliases?.[0]) data.aliases[0].alias = {};
      },
      (data: Record<string, { [k: string]: unknown }[]>) => {
        if (data.events?.[0]) data.events[0].time = "yesterday";
      },
    ]) {
      const path = await written();
      tamper(path, (document) =>
        change(document.data as unknown as Record<string, { [k: string]: unknown }[]>),
      );
      const { code, text } = await refusal(path);
      expect(code).toBe(1);
      expect(text).toContain("damaged or truncated (data.");
    }
  });

  it("a file that is not gzip at all: not a case file", async () => {
    const path = await written();
    writeFileSync(path, '{"Records": []}');
    const { code, text } = await refusal(path);
    expect(code).toBe(1);
    expect(text).toContain("not a gzip'd keytrail case file");
  });
});

describe("jsonPieces", () => {
  it("joins to exactly what JSON.stringify writes, with long arrays cut into slices", () => {
    const value = {
      numbers: [1, -1, 2.5, 0, 1e21, Number.NaN, 7],
      strings: ["a", 'q"uote', "\u2028\n", "", "é", "z"],
      records: [{ a: 1, b: undefined }, null, undefined, { nested: [1, 2, 3, 4, 5] }, [], {}],
      skipped: undefined,
      fn: () => 1,
      "2": "integer-like keys come first",
      empty: {},
      none: [],
      when: new Date(0),
      store: new UsageStore(),
    };
    for (const slice of [1, 2, 3, 100])
      expect([...jsonPieces(value, slice)].join("")).toBe(JSON.stringify(value));
  });

  it("writes a typed array as the JSON array of its numbers, whole or in slices", () => {
    const times = Float64Array.from([1_717_243_200_000, 0, -0, 2.5, Number.NaN]);
    const ids = Int32Array.from([3, -1, 0, 2_147_483_647]);
    const value = { times, ids, empty: new Int32Array(0), view: ids.subarray(1, 3) };
    const asArrays = { times: [...times], ids: [...ids], empty: [], view: [-1, 0] };
    for (const slice of [1, 2, 3, 100])
      expect([...jsonPieces(value, slice)].join("")).toBe(JSON.stringify(asArrays));
  });

  it("writes the usage store's typed data as its JSON form", async () => {
    const { usage } = await demo;
    expect([...jsonPieces(usage.toData(), 7)].join("")).toBe(JSON.stringify(usage));
  });

  it("writes the replayed demo as JSON.stringify would", async () => {
    const data = await demo;
    expect([...jsonPieces({ data }, 5)].join("")).toBe(JSON.stringify({ data }));
  });
});

describe("numbersBytes", () => {
  const asJson = (values: number[]) => JSON.stringify(values).slice(1, -1);

  it("writes every number as JSON.stringify does, around each boundary of its digits", () => {
    const edges = [0, -0, 1, -1, 9, 10, 99, 100, 999_999_999, 1e9, 1e9 + 1, 2_147_483_647, -2_147_483_648];
    const doubles = [
      ...edges,
      1_717_243_200_000,
      1_717_243_200_000.5,
      Number.MAX_SAFE_INTEGER,
      -Number.MAX_SAFE_INTEGER,
      Number.MAX_SAFE_INTEGER - 1e9 + 1,
      2 ** 53,
      1e21,
      5e-324,
      -1.7976931348623157e308,
      Number.NaN,
      Number.POSITIVE_INFINITY,
    ];
    expect(numbersBytes(Float64Array.from(doubles)).toString("latin1")).toBe(asJson(doubles));
    expect(numbersBytes(Int32Array.from(edges)).toString("latin1")).toBe(asJson([...Int32Array.from(edges)]));
  });

  it("agrees with JSON.stringify on times and ids of every size", () => {
    const times: number[] = [];
    const ids: number[] = [];
    for (let i = 0; i < 20_000; i++) {
      const magnitude = 10 ** (i % 16);
      times.push(Math.floor(((i * 7919) % 104_729) * magnitude) * (i % 3 === 0 ? -1 : 1));
      ids.push(((i * 2_654_435_761) % 2 ** 31) * (i % 5 === 0 ? -1 : 1));
    }
    expect(numbersBytes(Float64Array.from(times)).toString("latin1")).toBe(asJson(times));
    expect(numbersBytes(Int32Array.from(ids)).toString("latin1")).toBe(asJson([...Int32Array.from(ids)]));
  });

  it("writes nothing for no numbers", () => {
    expect(numbersBytes(new Int32Array(0)).length).toBe(0);
  });
});
