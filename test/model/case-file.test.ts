import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { jsonPieces } from "../../src/model/case-file.js";
import { CASE_VERSION, readCaseFile, UsageStore, writeCaseFile } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";

const demo = replayInputs(["fixtures/demo"]);

async function written(): Promise<string> {
  const path = join(await mkdtemp(join(tmpdir(), "keytrail-case-")), "demo.case.gz");
  await writeCaseFile(path, await demo, ["fixtures/demo"], "0.0.0-test");
  return path;
}

function tamper(
  path: string,
  change: (document: { version: number; data: { usage: { columns: Record<string, number[]> } } }) => void,
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

  it("writes the replayed demo as JSON.stringify would", async () => {
    const data = await demo;
    expect([...jsonPieces({ data }, 5)].join("")).toBe(JSON.stringify({ data }));
  });
});
