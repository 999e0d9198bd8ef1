import type { Driver } from "neo4j-driver";
import { ErrorCode, Neo4jConnectionError } from "../errors.js";
import { neo4jError } from "./neo4j-error.js";
import type { Neo4jOptions } from "./neo4j-options.js";

/**
 * The driver library, loaded on first use: it is a quarter of a second of start-up that only the Neo4j
 * commands need, and every other command (who-can, usage, …) would pay it.
 */
export function driverLibrary() {
  return import("neo4j-driver");
}

export type DriverLibrary = Awaited<ReturnType<typeof driverLibrary>>;

/** A connected driver: connectivity, credentials and the database are checked before anything is sent. */
export async function openDriver(options: Neo4jOptions): Promise<Driver> {
  const { default: neo4j } = await driverLibrary();
  let driver: Driver;
  try {
    const auth =
      options.user === undefined ? undefined : neo4j.auth.basic(options.user, options.password ?? "");
    // A server that accepts and never answers would hold the first query for a minute and more otherwise.
    driver = neo4j.driver(options.uri, auth, {
      connectionTimeout: 10_000,
      connectionAcquisitionTimeout: 20_000,
      maxConnectionLifetime: 3_600_000,
    });
  } catch (error) {
    throw new Neo4jConnectionError(ErrorCode.neo4jConnection, `neo4j: "${options.uri}" is not a Neo4j URI`, {
      cause: error,
    });
  }
  try {
    const session = driver.session(sessionConfig(options));
    try {
      await session.run("RETURN 1");
    } finally {
      await session.close();
    }
    return driver;
  } catch (error) {
    await driver.close();
    throw neo4jError(error, options);
  }
}

export function sessionConfig(options: Neo4jOptions): { database?: string } {
  return options.database === undefined ? {} : { database: options.database };
}
