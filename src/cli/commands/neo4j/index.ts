import { Command } from "commander";
import { push } from "./push.js";
import { query } from "./query.js";

/** `keytrail neo4j push|query` (DESIGN §7). */
export const neo4j = new Command("neo4j")
  .description("load the model into Neo4j and run the questions of queries/")
  // main.ts overrides exits on top-level commands only: the subcommands' usage errors must throw too.
  .addCommand(push.exitOverride())
  .addCommand(query.exitOverride());
