import { readdirSync } from "node:fs";
import { join } from "node:path";
import neo4j from "neo4j-driver";
import { type CaseData, CaseModel, type GraphRows, graphRows } from "../../src/model/index.js";
import { loadQuery, pushGraph, type QueryResult, runNamedQuery } from "../../src/neo4j/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { computeGaps } from "../../src/query/index.js";
import { neo4jUri, withSession } from "./helpers.js";

const fixtures = new URL("../../fixtures/", import.meta.url).pathname;

/** Every scenario trail, the demo incident, and the edge cases. */
export const SCENARIOS = [
  ...readdirSync(join(fixtures, "scenarios"))
    .sort()
    .map((name) => ({ name, dir: join(fixtures, "scenarios", name) })),
  { name: "demo", dir: join(fixtures, "demo") },
  ...readdirSync(join(fixtures, "edge-cases"))
    .sort()
    .map((name) => ({ name: `edge-cases/${name}`, dir: join(fixtures, "edge-cases", name) })),
];

export interface LoadedCase {
  data: CaseData;
  model: CaseModel;
  rows: GraphRows;
}

export async function loadCaseFrom(dir: string): Promise<LoadedCase> {
  return fromData(await replayInputs([dir]));
}

export function fromData(data: CaseData): LoadedCase {
  const model = new CaseModel(data);
  return { data, model, rows: graphRows(data, computeGaps(model)) };
}

function driver() {
  const uri = neo4jUri();
  if (uri === undefined) throw new Error("no Neo4j in this run");
  return neo4j.driver(uri);
}

export async function push(rows: GraphRows, batchSize = 1000) {
  const connection = driver();
  try {
    return await pushGraph(connection, rows, { batchSize });
  } finally {
    await connection.close();
  }
}

export async function query(name: string, parameters: Record<string, string>): Promise<QueryResult> {
  const connection = driver();
  try {
    return await runNamedQuery(connection, await loadQuery(name), parameters);
  } finally {
    await connection.close();
  }
}

/** Nodes per label and relationships per type in the database. */
export async function graphCounts(): Promise<Record<string, number>> {
  return withSession(async (session) => {
    const nodes = await session.run("MATCH (n) RETURN labels(n)[0] AS name, count(*) AS count");
    const relationships = await session.run("MATCH ()-[r]->() RETURN type(r) AS name, count(*) AS count");
    return Object.fromEntries(
      [...nodes.records, ...relationships.records].map((record) => [
        String(record.get("name")),
        neo4j.integer.toNumber(record.get("count")),
      ]),
    );
  });
}

/** Rows per label and relationship type, as graphRows built them: what the database must then hold. */
export function rowCounts(rows: GraphRows): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const [label, list] of Object.entries(rows.nodes)) if (list.length > 0) counts[label] = list.length;
  const types: Record<string, string> = {
    aliasOf: "ALIAS_OF",
    inState: "IN_STATE",
    policyOf: "POLICY_OF",
    allows: "ALLOWS",
    denies: "DENIES",
    grantOn: "GRANT_ON",
    grantedTo: "GRANTED_TO",
    retirableBy: "RETIRABLE_BY",
    createdKey: "CREATED",
    createdGrant: "CREATED",
    used: "USED",
    performed: "PERFORMED",
    on: "ON",
    keyInAccount: "IN_ACCOUNT",
    principalInAccount: "IN_ACCOUNT",
    gapOn: "AFFECTS",
  };
  for (const [name, list] of Object.entries(rows.relationships)) {
    const type = types[name] ?? name;
    if (list.length > 0) counts[type] = (counts[type] ?? 0) + list.length;
  }
  return counts;
}

/** Text that breaks naive Cypher building: quotes, backslashes, backticks, braces, comments, $, newlines. */
export const HOSTILE = 'it\'s "q" \\ `tick` } // not a comment $rows $& ;\nline2 /* x */ \u2028 é';

/**
 * The key-lifecycle case with hostile text in alias names, policy Sids and grant encryption-context
 * constraints, built from a real replay so every other field stays realistic.
 */
export async function hostileCase(): Promise<LoadedCase> {
  const data = await replayInputs([join(fixtures, "scenarios", "key-lifecycle")]);
  for (const interval of data.aliases) interval.alias = { ...interval.alias, name: `alias/${HOSTILE}` };
  for (const key of data.keys) {
    for (const version of key.policies) version.document = withSids(version.document);
  }
  for (const grant of data.grants) {
    grant.constraints = { encryptionContextSubset: { [HOSTILE]: HOSTILE }, encryptionContextEquals: null };
  }
  return fromData(data);
}

function withSids(document: unknown): unknown {
  const parsed = (typeof document === "string" ? JSON.parse(document) : document) as {
    Statement?: Record<string, unknown>[];
  };
  const statements = (parsed.Statement ?? []).map((statement, index) => ({
    ...statement,
    Sid: `${HOSTILE}#${index}`,
  }));
  return { ...parsed, Statement: statements };
}

export async function hostileRows(): Promise<GraphRows> {
  return (await hostileCase()).rows;
}
