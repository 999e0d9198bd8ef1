import neo4j, { type Session } from "neo4j-driver";
import { inject } from "vitest";
import { clearDatabase as clearDatabaseIn } from "../../src/neo4j/index.js";

/** Bolt URI of the run's Neo4j, or undefined when it could not start here: guard with describe.skipIf. */
export function neo4jUri(): string | undefined {
  return inject("neo4jUri");
}

/**
 * Runs fn with a session on the default database. Each call has its own driver, so no test file leaves
 * sockets open behind it; connecting to a local server costs a few milliseconds.
 */
export async function withSession<T>(fn: (session: Session) => Promise<T>): Promise<T> {
  const uri = neo4jUri();
  if (uri === undefined) {
    throw new Error("withSession: this run has no Neo4j; guard the suite with describe.skipIf(!neo4jUri())");
  }
  // The test server has auth disabled. No token at all, since neo4j-driver 6.3's typings omit auth.none().
  const driver = neo4j.driver(uri);
  try {
    const session = driver.session();
    try {
      return await fn(session);
    } finally {
      await session.close();
    }
  } finally {
    await driver.close();
  }
}

/** Removes all data, constraints and indexes (except the built-in token lookups), for an isolated test. */
export async function clearDatabase(): Promise<void> {
  await withSession(clearDatabaseIn);
}
