import { describe, expect, it } from "vitest";
import type { RelationshipRow } from "../../src/model/index.js";
import {
  cypherLiteral,
  cypherScript,
  distinctRelationships,
  loadOrder,
  nodeMergeStatement,
  pairRows,
  relationshipCreateStatement,
  relationshipMergeStatement,
  schemaStatements,
  scriptStatements,
} from "../../src/neo4j/index.js";
import { hostileRows } from "./graph-fixtures.js";

// Offline (no server): the Cypher text the schema implies, and the literal escaping of the export script.
describe("generated Cypher", () => {
  it("merges a label on its unique property and converts times and integers", () => {
    expect(nodeMergeStatement("PolicyVersion")).toMatchInlineSnapshot(
      `"UNWIND $rows AS row MERGE (n:PolicyVersion {id: row.id}) SET n.keyArn = row.keyArn, n.version = toInteger(row.version), n.document = row.document, n.parseProblem = row.parseProblem, n.from = datetime(row.from), n.to = datetime(row.to), n.confidence = row.confidence, n.openedBy = row.openedBy, n.closedBy = row.closedBy"`,
    );
  });

  it("merges parallel relationships on their identity properties", () => {
    expect(relationshipMergeStatement("used")).toMatchInlineSnapshot(
      `"UNWIND $rows AS row MATCH (a:Principal {id: row.start}) MATCH (b:Key {arn: row.end}) MERGE (a)-[r:USED {id: row.properties.id}]->(b) SET r.operation = row.properties.operation, r.role = row.properties.role, r.bucket = datetime(row.properties.bucket), r.first = datetime(row.properties.first), r.last = datetime(row.properties.last), r.count = toInteger(row.properties.count), r.denied = toInteger(row.properties.denied), r.keyFromAlias = toInteger(row.properties.keyFromAlias), r.deniedKeyFromAlias = toInteger(row.properties.deniedKeyFromAlias)"`,
    );
    expect(relationshipMergeStatement("grantOn")).toMatchInlineSnapshot(
      `"UNWIND $rows AS row MATCH (a:Grant {grantId: row.start}) MATCH (b:Key {arn: row.end}) MERGE (a)-[r:GRANT_ON]->(b)"`,
    );
  });

  it("creates a fresh database's relationships from rows paired by their endpoints", () => {
    expect(relationshipCreateStatement("used")).toMatchInlineSnapshot(
      `"UNWIND $rows AS pair MATCH (a:Principal {id: pair.start}) MATCH (b:Key {arn: pair.end}) UNWIND pair.rels AS row CREATE (a)-[r:USED {id: row.id, operation: row.operation, role: row.role, bucket: datetime(row.bucket), first: datetime(row.first), last: datetime(row.last), count: toInteger(row.count), denied: toInteger(row.denied), keyFromAlias: toInteger(row.keyFromAlias), deniedKeyFromAlias: toInteger(row.deniedKeyFromAlias)}]->(b)"`,
    );
    expect(relationshipCreateStatement("grantOn")).toMatchInlineSnapshot(
      `"UNWIND $rows AS pair MATCH (a:Grant {grantId: pair.start}) MATCH (b:Key {arn: pair.end}) UNWIND pair.rels AS row CREATE (a)-[r:GRANT_ON]->(b)"`,
    );
  });

  it("creates constraints and indexes idempotently", () => {
    for (const statement of schemaStatements())
      expect(statement).toMatch(/^CREATE (CONSTRAINT|INDEX) \w+ IF NOT EXISTS /);
  });
});

describe("fresh-database rows", () => {
  const row = (start: string, end: string, from: string): RelationshipRow<"policyOf"> => ({
    start,
    end,
    properties: { from, to: null },
  });

  it("keep the last row of each identity, as a MERGE and its SET would", () => {
    const grant = (start: string, end: string) => ({ start, end, properties: {} });
    expect(
      distinctRelationships("grantOn", [grant("g1", "k1"), grant("g1", "k1"), grant("g2", "k1")]),
    ).toEqual([grant("g1", "k1"), grant("g2", "k1")]);
    // POLICY_OF has no identity properties: its endpoints are its identity
    expect(distinctRelationships("policyOf", [row("p", "k", "t1"), row("p", "k", "t2")])).toEqual([
      row("p", "k", "t2"),
    ]);
  });

  it("group relationships by their two endpoints, in first-seen order", () => {
    expect(pairRows([row("p1", "k", "t1"), row("p2", "k", "t2"), row("p1", "k", "t3")])).toEqual([
      {
        start: "p1",
        end: "k",
        rels: [
          { from: "t1", to: null },
          { from: "t3", to: null },
        ],
      },
      { start: "p2", end: "k", rels: [{ from: "t2", to: null }] },
    ]);
  });
});

describe("loadOrder", () => {
  it("starts the largest relationship once its labels are written and alternates it with the rest", () => {
    const node = (cypher: string, label: "Key" | "Principal" | "Grant") => ({
      cypher,
      kind: "node" as const,
      label,
      needs: [],
    });
    const used = { cypher: "USED", kind: "relationship" as const, needs: ["Principal", "Key"] as const };
    const grantOn = { cypher: "GRANT_ON", kind: "relationship" as const, needs: ["Grant", "Key"] as const };
    const index = { cypher: "INDEX", kind: "index" as const, needs: [] };
    const batches = [
      node("K1", "Key"),
      node("K2", "Key"),
      node("G", "Grant"),
      node("P", "Principal"),
      grantOn,
      { ...used },
      { ...used },
      { ...used },
      index,
    ];
    expect(loadOrder(batches).map((batch) => batch.cypher)).toEqual([
      "K1",
      "K2",
      "P",
      "USED",
      "G",
      "USED",
      "GRANT_ON",
      "USED",
      "INDEX",
    ]);
  });
});

describe("cypherLiteral", () => {
  it("escapes quotes, backslashes and control characters, and quotes map keys", () => {
    expect(cypherLiteral("it's a \\ back\nslash")).toBe("'it\\'s a \\\\ back\\nslash'");
    expect(cypherLiteral("\u0000\u001f\u2028")).toBe("'\\u0000\\u001f\\u2028'");
    expect(cypherLiteral({ "a`b": [1, 2.5, true, null] })).toBe("{`a``b`: [1, 2.5, true, null]}");
  });

  it("writes one statement per line even for hostile strings, so scripts split safely", async () => {
    const script = cypherScript(await hostileRows(), 2);
    const statements = scriptStatements(script);
    expect(statements.length).toBe(
      script.split("\n").filter((line) => line.startsWith("UNWIND") || line.startsWith("CREATE")).length,
    );
    for (const statement of statements) expect(statement).not.toContain("\n");
  });
});
