import { Command, Option } from "commander";
import { z } from "zod";
import {
  loadQuery,
  neo4jError,
  neo4jOptionsFrom,
  neo4jOptionsSchema,
  openDriver,
  queryParameters,
  queryResultBlocks,
  runNamedQuery,
} from "../../../neo4j/index.js";
import { renderBlocks } from "../../../render/index.js";
import { defaultFormat } from "../../options.js";
import { writeJson } from "../../output.js";
import { withConnectionOptions } from "./connection-options.js";

/** `--param k=v`, repeatable; the value may itself contain `=`. */
const paramSchema = z
  .array(z.string().regex(/^\w+=/, "expected --param name=value"))
  .default([])
  .transform((pairs) =>
    Object.fromEntries(
      pairs.map((pair) => [pair.slice(0, pair.indexOf("=")), pair.slice(pair.indexOf("=") + 1)]),
    ),
  );

export const neo4jQueryOptionsSchema = z.object({
  name: z.string().min(1),
  param: paramSchema,
  connection: neo4jOptionsSchema,
  format: z.enum(["table", "json"]).default(() => (defaultFormat() === "json" ? "json" : "table")),
});

const collect = (value: string, previous: string[] = []) => [...previous, value];

export const query = withConnectionOptions(
  new Command("query")
    .description("run a question from queries/<name>.cypher against Neo4j (an unknown name lists them)")
    .argument("<name>", "query name, e.g. who-can")
    .option("--param <name=value>", "a query parameter (repeat for each)", collect)
    .addOption(new Option("--format <format>", "output format").choices(["table", "json"])),
).action(async (name: string, raw: Record<string, unknown>) => {
  const options = neo4jQueryOptionsSchema.parse({
    ...raw,
    name,
    connection: neo4jOptionsFrom(raw, process.env),
  });
  const named = await loadQuery(options.name);
  queryParameters(named, options.param);
  const driver = await openDriver(options.connection);
  try {
    const result = await runNamedQuery(driver, named, options.param, options.connection.database).catch(
      (error: unknown) => Promise.reject(neo4jError(error, options.connection)),
    );
    if (options.format === "json") writeJson(result);
    else process.stdout.write(renderBlocks(queryResultBlocks(result), options.format));
  } finally {
    await driver.close();
  }
});
