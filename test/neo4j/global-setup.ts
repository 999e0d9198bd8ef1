import type { TestProject } from "vitest/node";
import { prepareClasspath } from "../../src/neo4j/server/prepare-classpath.js";
import { startTempNeo4j } from "../../src/neo4j/server/temp-neo4j.js";

declare module "vitest" {
  export interface ProvidedContext {
    /** Bolt URI of this run's embedded Neo4j; absent when Java or Maven is missing outside CI. */
    neo4jUri?: string;
  }
}

/** vitest globalSetup of the `neo4j` project: one embedded Neo4j for the whole run. */
export async function setup(project: TestProject): Promise<() => Promise<void>> {
  const prepared = await prepareClasspath();
  if (!prepared.ok) return skipOrFail(prepared.missingTools);

  const startedAt = performance.now();
  const server = await startTempNeo4j();
  const seconds = ((performance.now() - startedAt) / 1000).toFixed(1);
  console.info(`neo4j: ${server.uri} ready in ${seconds}s (pid ${server.pid}, data ${server.dataDir})`);
  project.provide("neo4jUri", server.uri);
  return server.stop;
}

function skipOrFail(missingTools: string): () => Promise<void> {
  const why = `Java 17 and Maven are needed for the Neo4j tests:\n${missingTools}`;
  if (process.env.CI === "true") {
    throw new Error(`neo4j: ${why}\nUnder CI=true a missing Neo4j fails the run.`);
  }
  const rule = "!".repeat(78);
  console.warn(
    `\n${rule}\nneo4j: ${why}\nALL NEO4J TESTS ARE SKIPPED in this run (under CI=true this fails the run).\n${rule}\n`,
  );
  return async () => {};
}
