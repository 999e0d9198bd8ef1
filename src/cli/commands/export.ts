import { writeFile } from "node:fs/promises";
import { Command, Option } from "commander";
import { z } from "zod";
import { buildGraph, graphRows } from "../../model/index.js";
import { cypherScript, DEFAULT_BATCH_SIZE, toGraphml } from "../../neo4j/index.js";
import { computeGaps } from "../../query/index.js";
import { wholeNumberSchema } from "../../whole-number.js";
import { inputOption } from "../list-options.js";
import { loadData } from "../load-data.js";
import { caseSourceSchema, outputPathSchema } from "../options.js";

export const exportOptionsSchema = z.object({
  source: caseSourceSchema,
  format: z.enum(["cypher", "graphml", "json"]),
  /** "-": standard output (the summary then goes to stderr) */
  output: z.union([z.literal("-"), outputPathSchema]),
  batch: wholeNumberSchema(1, 100_000).default(DEFAULT_BATCH_SIZE),
});

export const exportCommand = new Command("export")
  .description(
    "write the model for other tools: a Cypher script for cypher-shell, GraphML, or graphology JSON",
  )
  .addOption(
    new Option("--format <format>", "export format")
      .choices(["cypher", "graphml", "json"])
      .makeOptionMandatory(),
  )
  .requiredOption("-o, --output <file>", "file to write, or - for standard output")
  .addOption(inputOption())
  .option("-c, --case <file>", "read a case file written by `keytrail replay -o`")
  .option("--batch <n>", `cypher: rows per statement (default ${DEFAULT_BATCH_SIZE})`)
  .action(async (raw: Record<string, unknown>) => {
    const options = exportOptionsSchema.parse({ ...raw, source: { input: raw.input, case: raw.case } });
    const model = await loadData(options.source);
    const gaps = computeGaps(model);
    const graph = buildGraph(model.data, gaps);
    const text =
      options.format === "cypher"
        ? cypherScript(graphRows(model.data, gaps), options.batch)
        : options.format === "graphml"
          ? toGraphml(graph)
          : JSON.stringify(graph.export());
    if (options.output === "-") process.stdout.write(text);
    else await writeFile(options.output, text);
    const summary = {
      format: options.format,
      output: options.output,
      nodes: graph.order,
      relationships: graph.size,
    };
    (options.output === "-" ? process.stderr : process.stdout).write(`${JSON.stringify(summary)}\n`);
  });
