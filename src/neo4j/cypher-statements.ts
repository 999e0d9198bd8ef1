import {
  graphSchema,
  keyProperty,
  NODE_LABELS,
  type NodeLabel,
  type PropertySpec,
  RELATIONSHIP_NAMES,
  type RelationshipName,
  type RelationshipSpec,
} from "../model/index.js";

/**
 * The Cypher text the schema implies (STYLE pattern 8, 10): constraints, indexes, one `UNWIND … MERGE`
 * statement per label and relationship, and a CREATE form of each relationship for a fresh database. Values
 * never appear in this text: rows come as `$rows`, or (for the export script) as a literal list the caller
 * renders with cypherLiteral.
 */

const snake = (name: string) =>
  name.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`).replace(/^_/, "");

/** How a row value becomes the stored value: ISO text to a zoned datetime, JS numbers to integers. */
function valueExpression(property: PropertySpec, source: string): string {
  if (property.type === "datetime") return `datetime(${source})`;
  if (property.type === "integer") return `toInteger(${source})`;
  return source;
}

/** One uniqueness constraint per label's key (MATCH and MERGE on nodes seek it). */
export function nodeConstraintStatements(): string[] {
  return NODE_LABELS.map((label) => {
    const key = keyProperty(label);
    return `CREATE CONSTRAINT ${snake(label)}_${key} IF NOT EXISTS FOR (n:${label}) REQUIRE n.${key} IS UNIQUE`;
  });
}

/** One uniqueness constraint per relationship type's unique `id` (Community has them too). */
export function relationshipConstraintStatements(): string[] {
  const statements = RELATIONSHIP_NAMES.flatMap((name) => {
    const spec: RelationshipSpec = graphSchema.relationships[name];
    return Object.entries(spec.properties as Record<string, PropertySpec>)
      .filter(([, property]) => property.unique)
      .map(
        ([property]) =>
          `CREATE CONSTRAINT ${spec.type.toLowerCase()}_${property} IF NOT EXISTS FOR ()-[r:${spec.type}]-() REQUIRE r.${property} IS UNIQUE`,
      );
  });
  return [...new Set(statements)];
}

export function constraintStatements(): string[] {
  return [...nodeConstraintStatements(), ...relationshipConstraintStatements()];
}

export function indexStatements(): string[] {
  return NODE_LABELS.flatMap((label) =>
    Object.entries(graphSchema.nodes[label].properties as Record<string, PropertySpec>)
      .filter(([, property]) => property.indexed)
      .map(([name]) => `CREATE INDEX ${snake(label)}_${name} IF NOT EXISTS FOR (n:${label}) ON (n.${name})`),
  );
}

/** Constraints first (a MERGE on a unique property is an index seek), then indexes. */
export function schemaStatements(): string[] {
  return [...constraintStatements(), ...indexStatements()];
}

function setClause(
  variable: string,
  properties: Record<string, PropertySpec>,
  skip: readonly string[],
  source: string,
) {
  const assignments = Object.entries(properties)
    .filter(([name]) => !skip.includes(name))
    .map(([name, property]) => `${variable}.${name} = ${valueExpression(property, `${source}.${name}`)}`);
  return assignments.length > 0 ? ` SET ${assignments.join(", ")}` : "";
}

/** `UNWIND <rows> AS row MERGE (n:Label {key: row.key}) SET n.p = …` for one label. */
export function nodeMergeStatement(label: NodeLabel, rows = "$rows"): string {
  const key = keyProperty(label);
  const properties = graphSchema.nodes[label].properties as Record<string, PropertySpec>;
  return `UNWIND ${rows} AS row MERGE (n:${label} {${key}: row.${key}})${setClause("n", properties, [key], "row")}`;
}

/**
 * `{p: <value>, …}` for the named properties of a relationship row (all declared ones by default),
 * converted as SET would; empty when there are none.
 */
function propertyMap(
  properties: Record<string, PropertySpec>,
  source: string,
  names: readonly string[] = Object.keys(properties),
): string {
  const entries = names.flatMap((name) => {
    const property = properties[name];
    return property ? [`${name}: ${valueExpression(property, `${source}.${name}`)}`] : [];
  });
  return entries.length > 0 ? ` {${entries.join(", ")}}` : "";
}

/** `MATCH (a:From {key: <source>.start}) MATCH (b:To {key: <source>.end}) `: a relationship's two endpoints. */
function endpointMatches(spec: RelationshipSpec, source: string): string {
  return (
    `MATCH (a:${spec.from} {${keyProperty(spec.from as NodeLabel)}: ${source}.start}) ` +
    `MATCH (b:${spec.to} {${keyProperty(spec.to as NodeLabel)}: ${source}.end}) `
  );
}

/**
 * `UNWIND <rows> AS row MATCH (a) MATCH (b) MERGE (a)-[r:TYPE {identity…}]->(b) SET r.p = …`. Identity
 * properties sit in the MERGE pattern so parallel intervals stay apart and a second load matches them.
 */
export function relationshipMergeStatement(name: RelationshipName, rows = "$rows"): string {
  const spec: RelationshipSpec = graphSchema.relationships[name];
  const properties = spec.properties as Record<string, PropertySpec>;
  const pattern = propertyMap(properties, "row.properties", spec.identity);
  return (
    `UNWIND ${rows} AS row ${endpointMatches(spec, "row")}` +
    `MERGE (a)-[r:${spec.type}${pattern}]->(b)${setClause("r", properties, spec.identity, "row.properties")}`
  );
}

/**
 * The fresh-database form of a relationship load: `UNWIND $rows AS pair MATCH (a) MATCH (b) UNWIND pair.rels
 * AS row CREATE (a)-[r:TYPE {…}]->(b)`, where each row is `{start, end, rels: [properties…]}` (see
 * pairRows). One pair of endpoint seeks serves all parallel relationships between two nodes, and CREATE skips
 * MERGE's lookup and its exclusive locks on both nodes, so two sessions can write at once.
 */
export function relationshipCreateStatement(name: RelationshipName): string {
  const spec: RelationshipSpec = graphSchema.relationships[name];
  const properties = spec.properties as Record<string, PropertySpec>;
  return (
    `UNWIND $rows AS pair ${endpointMatches(spec, "pair")}` +
    `UNWIND pair.rels AS row CREATE (a)-[r:${spec.type}${propertyMap(properties, "row")}]->(b)`
  );
}
