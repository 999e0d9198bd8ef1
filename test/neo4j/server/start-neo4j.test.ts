import { spawnSync } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { startNeo4j } from "../../../src/neo4j/server/start-neo4j.js";
import { neo4jUri } from "../helpers.js";

/** True while any process has dataDir on its command line (each start gets its own dir). */
function launcherAlive(dataDir: string): boolean {
  return spawnSync("pgrep", ["-f", dataDir]).status === 0;
}

// Failures of the global setup must explain themselves and leave no JVM behind; a passing run shows neither.
describe.skipIf(!neo4jUri())("startNeo4j failures", () => {
  let dataDir = "";
  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), "keytrail-neo4j-fail-"));
  });
  afterEach(() => rm(dataDir, { recursive: true, force: true }));

  it("rejects with the launcher's own output when it exits before it is ready", async () => {
    const started = startNeo4j({ dataDir, port: 0, readyTimeoutMs: 120_000, stopGraceMs: 5_000 });
    await expect(started).rejects.toThrow(/stopped before it was ready \(exit 64\)[\s\S]*usage: /);
  });

  it("kills a launcher that misses the ready timeout", async () => {
    const started = startNeo4j({ dataDir, port: 1, readyTimeoutMs: 500, stopGraceMs: 5_000 });
    await expect(started).rejects.toThrow("no ready line within 0.5s");
    expect(launcherAlive(dataDir)).toBe(false);
  });
});
