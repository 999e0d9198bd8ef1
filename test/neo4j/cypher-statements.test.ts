import { describe, expect, it } from "vitest";
import {
  cypherLiteral,
  cypherScript,
  nodeMergeStatement,
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
      `"UNWIND $rows AS row MATCH (a:Principal {id: row.start}) MATCH (b:Key {arn: row.end}) MERGE (a)-[r:USED {id: row.properties.id}]->(b) SET r.operation = row.properties.operation, r.role = row.properties.role, r.bucket = datetime(row.properties.bucket), r.first = datetime(row.properties.first), r.last = datetime(row.properties.last), r.count = toInteger(row.properties.count), r.denied = toInteger(row.properties.denied)"`,
    );
    expect(relationshipMergeStatement("grantOn")).toMatchInlineSnapshot(
      `"UNWIND $rows AS row MATCH (a:Grant {grantId: row.start}) MATCH (b:Key {arn: row.end}) MERGE (a)-[r:GRANT_ON]->(b)"`,
    );
  });

  it("creates constraints and indexes idempotently", () => {
    for (const statement of schemaStatements())
      expect(statement).toMatch(/^CREATE (CONSTRAINT|INDEX) \w+ IF NOT EXISTS /);
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
