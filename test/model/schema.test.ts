import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  graphSchema,
  NODE_LABELS,
  type PropertySpec,
  RELATIONSHIP_NAMES,
  type RelationshipSpec,
} from "../../src/model/index.js";
import { constraintStatements, schemaMarkdown } from "../../src/neo4j/index.js";

// STYLE pattern 9: the schema is walked, so a careless addition fails here rather than in Neo4j.
const nodes = NODE_LABELS.map((label) => ({ label, spec: graphSchema.nodes[label] }));
const relationships = RELATIONSHIP_NAMES.map((name) => ({
  name,
  spec: graphSchema.relationships[name] as RelationshipSpec,
}));
const properties = (record: Readonly<Record<string, PropertySpec>>) => Object.entries(record);

describe("graph schema", () => {
  it("names labels in PascalCase and relationship types in UPPER_SNAKE", () => {
    for (const { label } of nodes) expect(label).toMatch(/^[A-Z][a-zA-Z]*$/);
    for (const { spec } of relationships) expect(spec.type).toMatch(/^[A-Z]+(_[A-Z]+)*$/);
  });

  it("declares both endpoints of every relationship as labels", () => {
    for (const { spec } of relationships) {
      expect(NODE_LABELS).toContain(spec.from);
      expect(NODE_LABELS).toContain(spec.to);
    }
  });

  it("describes every label, relationship and property", () => {
    for (const { spec } of [...nodes, ...relationships]) {
      expect(spec.description.length).toBeGreaterThan(10);
      for (const [name, property] of properties(spec.properties)) {
        expect(name).toMatch(/^[a-z][a-zA-Z]*$/);
        expect(property.description.trim(), name).not.toBe("");
      }
    }
  });

  it("gives every label exactly one unique property, with a uniqueness constraint", () => {
    const statements = constraintStatements();
    for (const { label, spec } of nodes) {
      const unique = properties(spec.properties).filter(([, property]) => property.unique);
      expect(unique, label).toHaveLength(1);
      const [name, property] = unique[0] ?? ["", { nullable: true }];
      expect(property.nullable, `${label}.${name} is a MERGE key`).toBeFalsy();
      const constraint = `FOR (n:${label}) REQUIRE n.${name} IS UNIQUE`;
      expect(
        statements.filter((statement) => statement.endsWith(constraint)),
        label,
      ).toHaveLength(1);
    }
  });

  it("keeps relationship identities to declared, non-null properties, unique ones constrained", () => {
    const statements = constraintStatements();
    for (const { name, spec } of relationships) {
      for (const [property, declared] of properties(spec.properties).filter(([, p]) => p.unique)) {
        expect(spec.identity, `${name}.${property}`).toEqual([property]);
        const constraint = `FOR ()-[r:${spec.type}]-() REQUIRE r.${property} IS UNIQUE`;
        expect(
          statements.filter((statement) => statement.endsWith(constraint)),
          name,
        ).toHaveLength(1);
        expect(declared.nullable).toBeFalsy();
      }
      for (const property of spec.identity) {
        expect(spec.properties[property], `${name}.${property}`).toBeDefined();
        expect(spec.properties[property]?.nullable, `${name}.${property}`).toBeFalsy();
      }
    }
  });

  it("declares the same properties wherever one relationship type is reused", () => {
    const byType = new Map<string, string>();
    for (const { spec } of relationships) {
      const shape = JSON.stringify(properties(spec.properties));
      expect(byType.get(spec.type) ?? shape, spec.type).toBe(shape);
      byType.set(spec.type, shape);
    }
  });

  it("is what docs/schema.md says", () => {
    const committed = readFileSync(new URL("../../docs/schema.md", import.meta.url), "utf8");
    expect(committed).toBe(schemaMarkdown());
  });
});
