import type { Session } from "neo4j-driver";

/**
 * Removes all data, constraints and indexes (except the built-in token lookups): an empty database again,
 * for an isolated test or another round of the push benchmark. Names go in as parameters.
 */
export async function clearDatabase(session: Session): Promise<void> {
  // Batched and auto-commit: one transaction for a large graph could exhaust the transaction memory.
  await session.run("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS");
  const constraints = await session.run("SHOW CONSTRAINTS YIELD name");
  for (const name of constraints.records.map((record) => String(record.get("name")))) {
    await session.run("DROP CONSTRAINT $name IF EXISTS", { name });
  }
  const indexes = await session.run("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP' RETURN name");
  for (const name of indexes.records.map((record) => String(record.get("name")))) {
    await session.run("DROP INDEX $name IF EXISTS", { name });
  }
}
