import type { Command } from "commander";

/** --uri/--user/--password/--database, shared by `neo4j push` and `neo4j query` (NEO4J_* when absent). */
export function withConnectionOptions(command: Command): Command {
  return command
    .option("--uri <uri>", "Bolt URI (default NEO4J_URI, else bolt://localhost:7687)")
    .option("--user <user>", "user name (default NEO4J_USER; none: no authentication)")
    .option("--password <password>", "password (default NEO4J_PASSWORD)")
    .option("--database <name>", "database (default NEO4J_DATABASE, else the server's default)");
}
