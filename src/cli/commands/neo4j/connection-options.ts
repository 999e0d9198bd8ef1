import { type Command, Option } from "commander";

/**
 * --uri/--user/--password/--database, shared by `neo4j push` and `neo4j query`, each read from its NEO4J_*
 * variable when absent: commander reads it, so that the value's source is known and an error names the variable
 * the value came from (`NEO4J_URI: …`), not an option the user did not type.
 */
export function withConnectionOptions(command: Command): Command {
  return command
    .addOption(new Option("--uri <uri>", "Bolt URI (default bolt://localhost:7687)").env("NEO4J_URI"))
    .addOption(new Option("--user <user>", "user name (none: no authentication)").env("NEO4J_USER"))
    .addOption(new Option("--password <password>", "password").env("NEO4J_PASSWORD"))
    .addOption(
      new Option("--database <name>", "database (default: the server's default)").env("NEO4J_DATABASE"),
    );
}
