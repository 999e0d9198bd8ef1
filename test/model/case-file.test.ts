import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { CASE_VERSION, readCaseFile, writeCaseFile } from "../../src/model/index.js";
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
});
