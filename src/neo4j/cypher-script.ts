import type { GraphRows } from "../model/index.js";
import { cypherLiteral } from "./cypher-literal.js";
import { schemaStatements } from "./cypher-statements.js";
import { loadSteps, slices } from "./push-graph.js";

/**
 * `export --format cypher`: a self-contained script for `cypher-shell -f` — constraints and indexes, then the
 * same MERGE statements the loader runs, with each batch of rows written as a literal list instead of $rows.
 * Every statement is one line ending in `;` (literals escape newlines), after a few `//` comment lines.
 */
export function cypherScript(rows: GraphRows, batchSize: number): string {
  const lines = [
    "// keytrail graph export: constraints and indexes, then nodes and relationships (MERGE: safe to re-run)",
    ...schemaStatements().map((statement) => `${statement};`),
  ];
  for (const step of loadSteps(rows)) {
    for (const batch of slices(step.rows, batchSize)) {
      const literal = cypherLiteral(batch);
      // A function replacement: `$` sequences in the literal must not act as replacement patterns.
      lines.push(`${step.cypher.replace(/^UNWIND \$rows /, () => `UNWIND ${literal} `)};`);
    }
  }
  return `${lines.join("\n")}\n`;
}

/** The statements of a script cypherScript wrote: one per non-comment line, without its `;`. */
export function scriptStatements(script: string): string[] {
  return script
    .split("\n")
    .filter((line) => line.trim() !== "" && !line.startsWith("//"))
    .map((line) => line.replace(/;\s*$/, ""));
}
