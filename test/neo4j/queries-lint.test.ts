import { lintCypherQuery } from "@neo4j-cypher/language-support";
import { describe, expect, it } from "vitest";
import { graphSchema, NODE_LABELS, RELATIONSHIP_NAMES } from "../../src/model/index.js";
import { listQueries, type NamedQuery } from "../../src/neo4j/index.js";
import { grantAllows, KMS_ACTIONS } from "../../src/policy/index.js";

// Offline: every question in queries/ parses, uses only the schema's labels, types and properties, declares
// every $parameter it uses in its header, and documents its columns.
const queries = await listQueries();
const schema = {
  labels: [...NODE_LABELS],
  relationshipTypes: [...new Set(RELATIONSHIP_NAMES.map((name) => graphSchema.relationships[name].type))],
  propertyKeys: [
    ...new Set([
      ...NODE_LABELS.flatMap((label) => Object.keys(graphSchema.nodes[label].properties)),
      ...RELATIONSHIP_NAMES.flatMap((name) => Object.keys(graphSchema.relationships[name].properties)),
    ]),
  ],
};
const lint = (text: string, parameters: Record<string, unknown>) =>
  lintCypherQuery(text, { ...schema, parameters }).diagnostics.map((diagnostic) => diagnostic.message);
const declared = (query: NamedQuery) =>
  Object.fromEntries(query.parameters.map((parameter) => [parameter.name, parameter.example]));

describe("queries/*.cypher", () => {
  it("holds the investigation questions", () => {
    expect(queries.map((query) => query.name)).toEqual([
      "alias-history",
      "coverage-gaps",
      "denied-attempts",
      "external-grants",
      "key-state",
      "key-timeline",
      "policy-versions",
      "reach",
      "usage-by-principal",
      "who-can",
    ]);
  });

  it.each(queries)("$name lints clean with its declared parameters", (query) => {
    expect(lint(query.text, declared(query))).toEqual([]);
  });

  it.each(queries)("$name documents its question, parameters and columns", (query) => {
    expect(query.question).toMatch(/\?$/);
    const used = [...new Set([...query.text.matchAll(/\$(\w+)/g)].map((match) => match[1]))].sort();
    expect(query.parameters.map((parameter) => parameter.name).sort()).toEqual(used);
    // that the columns listed are exactly those returned is checked against the server (parity.test.ts)
    expect(query.columns.length).toBeGreaterThan(0);
  });

  it.each(["who-can", "reach"])(
    "%s mirrors the operations a grant whose operations were not logged may allow, as the local engine has them",
    (name) => {
      const unlogged = {
        grantId: "g",
        grantee: null,
        retiringPrincipal: null,
        operations: [],
        operationsKnown: false,
        constraints: null,
      };
      const possible = KMS_ACTIONS.filter((action) => grantAllows(unlogged, action).allowed !== false);
      const text = queries.find((query) => query.name === name)?.text ?? "";
      const lists = [...text.matchAll(/\[((?:\s*'\w+',?)+)\s*\]/g)].map((match) =>
        [...(match[1] ?? "").matchAll(/'(\w+)'/g)].map((item) => item[1]).sort(),
      );
      expect(lists).toContainEqual([...possible].sort());
    },
  );

  it("would catch an undeclared parameter, a syntax error and an unknown label", () => {
    expect(lint("MATCH (k:Key {arn: $key}) RETURN k", {})).not.toEqual([]);
    expect(lint("MATCH (k:Key RETURN k", {})).not.toEqual([]);
    expect(lint("MATCH (k:Kee) RETURN k", {})).not.toEqual([]);
  });
});
