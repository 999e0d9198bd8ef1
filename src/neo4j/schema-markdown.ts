import {
  graphSchema,
  NODE_LABELS,
  type PropertySpec,
  RELATIONSHIP_NAMES,
  type RelationshipSpec,
} from "../model/index.js";
import { schemaStatements } from "./cypher-statements.js";

const cellText = (text: string) => text.replace(/\|/g, "\\|");

function propertyTable(properties: Record<string, PropertySpec>, identity: readonly string[] = []): string[] {
  const entries = Object.entries(properties);
  if (entries.length === 0) return ["No properties.", ""];
  return [
    "| property | type | | description |",
    "|---|---|---|---|",
    ...entries.map(([name, property]) => {
      const flags = [
        property.unique ? "unique" : "",
        property.indexed ? "indexed" : "",
        identity.includes(name) ? "identity" : "",
        property.nullable ? "nullable" : "",
      ].filter(Boolean);
      return `| \`${name}\` | ${property.type} | ${flags.join(", ")} | ${cellText(property.description)} |`;
    }),
    "",
  ];
}

/** docs/schema.md, generated from graphSchema (a test keeps the committed file equal to this). */
export function schemaMarkdown(): string {
  const lines = [
    "# Graph schema",
    "",
    "Generated from `src/model/schema.ts` by `schemaMarkdown()` (`src/neo4j/schema-markdown.ts`); a test fails when",
    "this file and the schema differ. The same declaration drives the graphology graph, `keytrail neo4j push`",
    "and `keytrail export`. Types: `datetime` is a zoned datetime in Neo4j (ISO 8601 UTC text in graphology and",
    "JSON), `json` is JSON text, `string[]` a list. *identity* properties tell parallel relationships apart",
    "(they are part of the MERGE pattern).",
    "",
    "## Nodes",
    "",
  ];
  for (const label of NODE_LABELS) {
    const spec = graphSchema.nodes[label];
    lines.push(`### \`${label}\``, "", spec.description, "", ...propertyTable(spec.properties));
  }
  lines.push("## Relationships", "");
  for (const name of RELATIONSHIP_NAMES) {
    const spec: RelationshipSpec = graphSchema.relationships[name];
    lines.push(
      `### \`(:${spec.from})-[:${spec.type}]->(:${spec.to})\``,
      "",
      `${spec.description} (\`${name}\` in the schema).`,
      "",
      ...propertyTable(spec.properties, spec.identity),
    );
  }
  lines.push(
    "## Constraints and indexes",
    "",
    "```cypher",
    ...schemaStatements().map((s) => `${s};`),
    "```",
    "",
  );
  return lines.join("\n");
}
