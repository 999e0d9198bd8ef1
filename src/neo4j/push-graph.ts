import type { Driver, Session } from "neo4j-driver";
import {
  type GraphRows,
  graphSchema,
  NODE_LABELS,
  RELATIONSHIP_NAMES,
  type RelationshipName,
  type RelationshipRow,
} from "../model/index.js";
import {
  indexStatements,
  nodeConstraintStatements,
  nodeMergeStatement,
  relationshipConstraintStatements,
  relationshipCreateStatement,
  relationshipMergeStatement,
} from "./cypher-statements.js";

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
  /** The database held no keytrail node: relationships were CREATEd by two sessions, not MERGEd by one */
  fresh: boolean;
  /** Whole push, constraints and indexes included */
  ms: number;
  /** Creating the constraints and indexes before loading (waits for their population) */
  schemaMs: number;
  /**
   * (nodes + relationships) per second of data loading: everything after schemaMs, including the relationship
   * constraints a fresh push creates after its load
   */
  rate: number;
}

export const DEFAULT_BATCH_SIZE = 5_000;

/** Sessions writing at once on a fresh database (the test machine has 2 cores). */
export const FRESH_SESSIONS = 2;

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

/** One transaction's worth: the statement, its `$rows`, and how many nodes or relationships they write. */
interface Batch {
  cypher: string;
  rows: readonly unknown[];
  written: number;
  kind: LoadStep["kind"];
}

function slices<T>(items: readonly T[], size: number): T[][] {
  const result: T[][] = [];
  for (let offset = 0; offset < items.length; offset += size) result.push(items.slice(offset, offset + size));
  return result;
}

/** The MERGE steps cut into batches, in order. */
function mergeBatches(steps: readonly LoadStep[], batchSize: number): Batch[] {
  return steps.flatMap((step) =>
    slices(step.rows, batchSize).map((rows) => ({ ...step, rows, written: rows.length })),
  );
}

/**
 * The rows MERGE would leave as distinct relationships (the last row of an identity wins, as its SET would):
 * CREATE must not write a duplicate that MERGE would have matched.
 */
export function distinctRelationships<R extends RelationshipName>(
  name: R,
  rows: readonly RelationshipRow<R>[],
): RelationshipRow<R>[] {
  const identity: readonly string[] = graphSchema.relationships[name].identity;
  const byIdentity = new Map<string, RelationshipRow<R>>();
  for (const row of rows) {
    const properties = row.properties as Record<string, unknown>;
    byIdentity.set(JSON.stringify([row.start, row.end, ...identity.map((key) => properties[key])]), row);
  }
  return [...byIdentity.values()];
}

/** Rows grouped by their two endpoints, the shape relationshipCreateStatement reads. */
export function pairRows(
  rows: readonly RelationshipRow<RelationshipName>[],
): { start: string; end: string; rels: unknown[] }[] {
  const pairs = new Map<string, { start: string; end: string; rels: unknown[] }>();
  for (const { start, end, properties } of rows) {
    const key = JSON.stringify([start, end]);
    const pair = pairs.get(key) ?? { start, end, rels: [] };
    pair.rels.push(properties);
    pairs.set(key, pair);
  }
  return [...pairs.values()];
}

/** A fresh database's relationships: distinct rows, batchSize relationships per transaction, paired. */
function createBatches(rows: GraphRows, batchSize: number): Batch[] {
  return RELATIONSHIP_NAMES.flatMap((name) => {
    const cypher = relationshipCreateStatement(name);
    const distinct = distinctRelationships(name, rows.relationships[name]);
    return slices(distinct, batchSize).map((batch) => ({
      cypher,
      rows: pairRows(batch),
      written: batch.length,
      kind: "relationship" as const,
    }));
  });
}

/** Nodes, then relationships (their MATCHes need every node); a phase's batches may run in any order. */
function loadPhases(rows: GraphRows, batchSize: number, fresh: boolean): Batch[][] {
  const steps = loadSteps(rows);
  const nodes = mergeBatches(
    steps.filter((step) => step.kind === "node"),
    batchSize,
  );
  const relationships = fresh
    ? createBatches(rows, batchSize)
    : mergeBatches(
        steps.filter((step) => step.kind === "relationship"),
        batchSize,
      );
  return [nodes, relationships];
}

/**
 * Runs batches from one queue over `sessions` sessions, one write transaction per batch. The first failure
 * empties the queue, so the other sessions stop after their current batch.
 */
async function runBatches(
  driver: Driver,
  database: string | undefined,
  batches: readonly Batch[],
  sessions: number,
  onBatch: (batch: Batch) => void,
): Promise<void> {
  const queue = [...batches].reverse();
  const worker = async () => {
    const session = driver.session(database === undefined ? {} : { database });
    try {
      for (let batch = queue.pop(); batch !== undefined; batch = queue.pop()) {
        const { cypher, rows } = batch;
        await session.executeWrite((tx) => tx.run(cypher, { rows }));
        onBatch(batch);
      }
    } catch (error) {
      queue.length = 0;
      throw error;
    } finally {
      await session.close();
    }
  };
  await Promise.all(Array.from({ length: sessions }, worker));
}

/** Whether the database holds no node of any keytrail label (then nothing can be MERGEd onto). */
async function holdsNoKeytrailNode(session: Session): Promise<boolean> {
  const result = await session.run(`MATCH (n:${NODE_LABELS.join("|")}) RETURN 1 LIMIT 1`);
  return result.records.length === 0;
}

/**
 * Loads graph rows into Neo4j (DESIGN §7), in `UNWIND $rows …` batches of one write transaction each.
 * - A database that already holds keytrail nodes (a second push, or one re-run after an interruption): every
 *   constraint and index IF NOT EXISTS, then nodes and relationships MERGE on their identities in one session,
 *   so the graph ends up the same.
 * - A fresh database: node constraints and indexes, nodes (MERGE), then relationships CREATEd from distinct
 *   rows by two sessions at once (CREATE takes no lock that blocks the other session), and only then the
 *   relationship uniqueness constraints: checking each new relationship against them cost as much as writing
 *   it, while building them afterwards is one scan.
 */
export async function pushGraph(driver: Driver, rows: GraphRows, options: PushOptions): Promise<PushResult> {
  const started = performance.now();
  const session = driver.session(options.database === undefined ? {} : { database: options.database });
  const counts = { node: 0, relationship: 0 };
  let loadStarted = started;
  let fresh = false;
  try {
    for (const statement of [...nodeConstraintStatements(), ...indexStatements()])
      await session.run(statement);
    fresh = await holdsNoKeytrailNode(session);
    if (!fresh) for (const statement of relationshipConstraintStatements()) await session.run(statement);
    loadStarted = performance.now();
    const phases = loadPhases(rows, options.batchSize, fresh);
    const total = phases.flat().reduce((sum, batch) => sum + batch.written, 0);
    for (const phase of phases) {
      await runBatches(driver, options.database, phase, fresh ? FRESH_SESSIONS : 1, (batch) => {
        counts[batch.kind] += batch.written;
        options.onProgress?.({ done: counts.node + counts.relationship, total });
      });
    }
    if (fresh) for (const statement of relationshipConstraintStatements()) await session.run(statement);
  } finally {
    await session.close();
  }
  const ended = performance.now();
  const loadMs = ended - loadStarted;
  const written = counts.node + counts.relationship;
  return {
    nodes: counts.node,
    relationships: counts.relationship,
    fresh,
    ms: ended - started,
    schemaMs: loadStarted - started,
    rate: loadMs > 0 ? (written * 1000) / loadMs : 0,
  };
}
