import type { Driver } from "neo4j-driver";
import { type GraphRows, NODE_LABELS, RELATIONSHIP_NAMES } from "../model/index.js";
import { nodeMergeStatement, relationshipMergeStatement, schemaStatements } from "./cypher-statements.js";

export interface PushProgress {
  /** Rows (nodes and relationships) written so far */
  done: number;
  total: number;
}

export interface PushOptions {
  database?: string | undefined;
  /** Rows per transaction */
  batchSize: number;
  onProgress?: (progress: PushProgress) => void;
}

export interface PushResult {
  nodes: number;
  relationships: number;
  /** Whole push, constraints and indexes included */
  ms: number;
  /** Creating the constraints and indexes (waits for their population on a first push) */
  schemaMs: number;
  /** (nodes + relationships) per second of data loading, schema creation excluded */
  rate: number;
}

export const DEFAULT_BATCH_SIZE = 5_000;

/** One MERGE statement and the rows it loads. */
export interface LoadStep {
  cypher: string;
  rows: readonly unknown[];
  kind: "node" | "relationship";
}

/** Every label's nodes, then every relationship (their MATCHes need the nodes), in schema order. */
export function loadSteps(rows: GraphRows): LoadStep[] {
  return [
    ...NODE_LABELS.map((label) => ({
      cypher: nodeMergeStatement(label),
      rows: rows.nodes[label] as readonly unknown[],
      kind: "node" as const,
    })),
    ...RELATIONSHIP_NAMES.map((name) => ({
      cypher: relationshipMergeStatement(name),
      rows: rows.relationships[name] as readonly unknown[],
      kind: "relationship" as const,
    })),
  ];
}

/**
 * Loads graph rows into Neo4j (DESIGN §7): constraints and indexes IF NOT EXISTS, then `UNWIND $rows … MERGE`
 * in batches, one write transaction each. Everything MERGEs on declared identities, so running it again (after
 * an interruption, or on the same case) leaves the same graph.
 */
export async function pushGraph(driver: Driver, rows: GraphRows, options: PushOptions): Promise<PushResult> {
  const started = performance.now();
  const session = driver.session(options.database === undefined ? {} : { database: options.database });
  const steps = loadSteps(rows);
  const total = steps.reduce((sum, step) => sum + step.rows.length, 0);
  const counts = { node: 0, relationship: 0 };
  let loadStarted = started;
  try {
    for (const statement of schemaStatements()) await session.run(statement);
    loadStarted = performance.now();
    for (const step of steps) {
      for (let offset = 0; offset < step.rows.length; offset += options.batchSize) {
        const batch = step.rows.slice(offset, offset + options.batchSize);
        await session.executeWrite((tx) => tx.run(step.cypher, { rows: batch }));
        counts[step.kind] += batch.length;
        options.onProgress?.({ done: counts.node + counts.relationship, total });
      }
    }
  } finally {
    await session.close();
  }
  const ended = performance.now();
  const loadMs = ended - loadStarted;
  const written = counts.node + counts.relationship;
  return {
    nodes: counts.node,
    relationships: counts.relationship,
    ms: ended - started,
    schemaMs: loadStarted - started,
    rate: loadMs > 0 ? (written * 1000) / loadMs : 0,
  };
}
