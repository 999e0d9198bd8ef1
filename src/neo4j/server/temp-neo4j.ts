import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { freePort } from "./free-port.js";
import { type RunningNeo4j, type StartNeo4jOptions, startNeo4j } from "./start-neo4j.js";

export interface TempNeo4j extends RunningNeo4j {
  /** Its store and logs, deleted by stop() */
  readonly dataDir: string;
}

/**
 * A throwaway embedded Neo4j (.ci/neo4j/start.sh) on a free port, with its store in a new temp dir; stop()
 * stops it and deletes the dir. Needs prepareClasspath() first.
 */
export async function startTempNeo4j(
  options: Omit<StartNeo4jOptions, "dataDir" | "port">,
): Promise<TempNeo4j> {
  const dataDir = await mkdtemp(join(tmpdir(), "keytrail-neo4j-"));
  const removeDataDir = (): Promise<void> => rm(dataDir, { recursive: true, force: true });
  let server: RunningNeo4j;
  try {
    server = await startNeo4j({ ...options, dataDir, port: await freePort() });
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
