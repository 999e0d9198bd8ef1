import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";
import { type RunningNeo4j, type StartNeo4jOptions, startNeo4j } from "./start-neo4j.js";

export interface TempNeo4j extends RunningNeo4j {
  /** Its store and logs, deleted by stop() */
  readonly dataDir: string;
}

/** A cold JVM on a 2-core machine compiles Launcher.java and creates two stores: usually 10-15 s, slower when loaded. */
const READY_TIMEOUT_MS = 180_000;
const STOP_GRACE_MS = 15_000;

type TempNeo4jOptions = Partial<Pick<StartNeo4jOptions, "readyTimeoutMs" | "stopGraceMs" | "javaOpts">>;

/**
 * A throwaway embedded Neo4j (.ci/neo4j/start.sh) on a free port, with its store in a new temp dir; stop()
 * stops it and deletes the dir. Needs prepareClasspath() first.
 */
export async function startTempNeo4j(options: TempNeo4jOptions = {}): Promise<TempNeo4j> {
  const dataDir = await mkdtemp(join(tmpdir(), "keytrail-neo4j-"));
  const removeDataDir = (): Promise<void> => rm(dataDir, { recursive: true, force: true });
  let server: RunningNeo4j;
  try {
    server = await startNeo4j({
      readyTimeoutMs: options.readyTimeoutMs ?? READY_TIMEOUT_MS,
      stopGraceMs: options.stopGraceMs ?? STOP_GRACE_MS,
      ...(options.javaOpts === undefined ? {} : { javaOpts: options.javaOpts }),
      dataDir,
      port: await freePort(),
    });
  } catch (error) {
    await removeDataDir();
    throw error;
  }
  return {
    uri: server.uri,
    pid: server.pid,
    dataDir,
    stop: async () => {
      await server.stop();
      await removeDataDir();
    },
  };
}
