import type { Driver, Session } from "neo4j-driver";
import {
  type GraphRows,
  graphSchema,
  NODE_LABELS,
  type NodeLabel,
  RELATIONSHIP_NAMES,
  type RelationshipName,
  type RelationshipRow,
  type RelationshipSpec,
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
  /** The node uniqueness constraints (and, before a MERGE load, the relationship ones), created first */
  schemaMs: number;
  /** Nodes, relationships and the secondary indexes, from the end of schemaMs */
  loadMs: number;
  /** A fresh push's relationship uniqueness constraints, created after its load */
  constraintsMs: number;
  /** (nodes + relationships) per second over loadMs + constraintsMs */
  rate: number;
}

export const DEFAULT_BATCH_SIZE = 5_000;

/** Sessions writing at once on a fresh database (the test machine has 2 cores). */
export const FRESH_SESSIONS = 2;

/**
 * One MERGE statement and the rows it loads: a label's nodes, or a relationship, whose MATCHes need every node
 * of its two endpoint labels.
 */
export interface LoadStep {
  cypher: string;
  rows: readonly unknown[];
  kind: "node" | "relationship";
  label?: NodeLabel;
  needs: readonly NodeLabel[];
}

/** The endpoints' labels, whose nodes a relationship's MATCHes need. */
function endpointLabels(name: RelationshipName): NodeLabel[] {
  const spec: RelationshipSpec = graphSchema.relationships[name];
  return [spec.from as NodeLabel, spec.to as NodeLabel];
}

/** Every label's nodes, then every relationship, in schema order. */
export function loadSteps(rows: GraphRows): LoadStep[] {
  return [
    ...NODE_LABELS.map((label) => ({
      cypher: nodeMergeStatement(label),
      rows: rows.nodes[label] as readonly unknown[],
      kind: "node" as const,
      label,
      needs: [],
    })),
    ...RELATIONSHIP_NAMES.map((name) => ({
      cypher: relationshipMergeStatement(name),
      rows: rows.relationships[name] as readonly unknown[],
      kind: "relationship" as const,
      needs: endpointLabels(name),
    })),
  ];
}

/**
 * One transaction's worth: the statement, its `$rows`, how many nodes or relationships they write, the label
 * they write (node batches) and the labels whose nodes must all be written before it runs (relationships).
 * An index statement is a batch without rows.
 */
interface Batch extends Omit<LoadStep, "kind"> {
  written: number;
  kind: LoadStep["kind"] | "index";
}

/** `items` cut into consecutive lists of at most `size`. */
export function slices<T>(items: readonly T[], size: number): T[][] {
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
      needs: endpointLabels(name),
    }));
  });
}

/** a1, b1, a2, b2, …, then the rest of the longer list. */
function interleave<T>(a: readonly T[], b: readonly T[]): T[] {
  return Array.from({ length: Math.max(a.length, b.length) }, (_, i) => [a[i], b[i]]).flatMap((pair) =>
    pair.filter((item): item is T => item !== undefined),
  );
}

/**
 * The order batches are taken in, dependencies first. Every statement's first run pays for its planning on
 * the server (on a cold one 250-600 ms, the very first ones 1-2 s), so the largest relationship starts once
 * its two labels are loaded, and its batches alternate with everything else: while one session writes it,
 * the other plans and runs the small steps (the rest of the nodes, the other relationships, the indexes).
 */
export function loadOrder<B extends Pick<Batch, "cypher" | "kind" | "label" | "needs">>(
  batches: readonly B[],
): B[] {
  const relationships = batches.filter((batch) => batch.kind === "relationship");
  const sizes = new Map<string, number>();
  for (const batch of relationships) sizes.set(batch.cypher, (sizes.get(batch.cypher) ?? 0) + 1);
  const largest = [...sizes].reduce<[string, number] | undefined>(
    (best, entry) => (best === undefined || entry[1] > best[1] ? entry : best),
    undefined,
  )?.[0];
  const big = relationships.filter((batch) => batch.cypher === largest);
  const needed = new Set(big[0]?.needs ?? []);
  const first = batches.filter((batch) => batch.label !== undefined && needed.has(batch.label));
  const rest = batches.filter((batch) => !first.includes(batch) && !big.includes(batch));
  const byKind = (kind: Batch["kind"]) => rest.filter((batch) => batch.kind === kind);
  return [...first, ...interleave(big, [...byKind("node"), ...byKind("relationship"), ...byKind("index")])];
}

/** Wakes the sessions waiting for a label's nodes whenever a batch finishes. */
class Signal {
  #waiters: (() => void)[] = [];

  wait(): Promise<void> {
    return new Promise((resolve) => this.#waiters.push(resolve));
  }

  notify(): void {
    for (const wake of this.#waiters.splice(0)) wake();
  }
}

/**
 * Runs batches over `sessions` sessions, one write transaction per batch, each session taking the first batch
 * whose needed labels are fully written (node and index batches always are, so a session only waits while
 * the other writes those nodes). The first failure empties the queue, so the other sessions stop after their
 * current batch.
 */
async function runBatches(
  driver: Driver,
  database: string | undefined,
  batches: readonly Batch[],
  sessions: number,
  onBatch: (batch: Batch) => void,
): Promise<void> {
  const queue = [...batches];
  const unwritten = new Map<NodeLabel, number>();
  for (const { label } of batches) if (label) unwritten.set(label, (unwritten.get(label) ?? 0) + 1);
  const finished = new Signal();
  const next = async (): Promise<Batch | undefined> => {
    while (queue.length > 0) {
      const index = queue.findIndex((batch) => batch.needs.every((label) => !unwritten.get(label)));
      if (index >= 0) return queue.splice(index, 1)[0];
      await finished.wait();
    }
    return undefined;
  };
  const worker = async () => {
    const session = driver.session(database === undefined ? {} : { database });
    try {
      for (let batch = await next(); batch !== undefined; batch = await next()) {
        const { cypher, rows } = batch;
        await session.executeWrite((tx) => tx.run(cypher, { rows }));
        if (batch.label) unwritten.set(batch.label, (unwritten.get(batch.label) ?? 1) - 1);
        onBatch(batch);
        finished.notify();
      }
    } catch (error) {
      queue.length = 0;
      throw error;
    } finally {
      finished.notify();
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

/** The secondary indexes, as batches without rows: nothing in the load reads them. */
function indexBatches(): Batch[] {
  return indexStatements().map((cypher) => ({
    cypher,
    rows: [],
    written: 0,
    kind: "index" as const,
    needs: [],
  }));
}

/**
 * Loads graph rows into Neo4j (DESIGN §7), in `UNWIND $rows …` batches of one write transaction each.
 * - A database that already holds keytrail nodes (a second push, or one re-run after an interruption): every
 *   constraint IF NOT EXISTS, then nodes, relationships MERGE on their identities and the indexes (IF NOT
 *   EXISTS) in one session, so the graph ends up the same.
 * - A fresh database: node constraints, then nodes (MERGE), relationships CREATEd from distinct rows and the
 *   indexes by two sessions at once (CREATE takes no lock that blocks the other session; loadOrder overlaps
 *   the small steps' planning with the largest step), and only then the relationship uniqueness constraints:
 *   checking each new relationship against them cost as much as writing it, while building them afterwards
 *   is one scan.
 */
export async function pushGraph(driver: Driver, rows: GraphRows, options: PushOptions): Promise<PushResult> {
  const started = performance.now();
  const session = driver.session(options.database === undefined ? {} : { database: options.database });
  const counts = { node: 0, relationship: 0, index: 0 };
  let fresh = false;
  const marks = { schema: started, load: started };
  try {
    for (const statement of nodeConstraintStatements()) await session.run(statement);
    fresh = await holdsNoKeytrailNode(session);
    if (!fresh) for (const statement of relationshipConstraintStatements()) await session.run(statement);
    marks.schema = performance.now();
    const steps = loadSteps(rows).filter((step) => !fresh || step.kind === "node");
    const relationships = fresh ? createBatches(rows, options.batchSize) : [];
    const batches = loadOrder([
      ...mergeBatches(steps, options.batchSize),
      ...relationships,
      ...indexBatches(),
    ]);
    const total = batches.reduce((sum, batch) => sum + batch.written, 0);
    await runBatches(driver, options.database, batches, fresh ? FRESH_SESSIONS : 1, (batch) => {
      counts[batch.kind] += batch.written;
      options.onProgress?.({ done: counts.node + counts.relationship, total });
    });
    marks.load = performance.now();
    if (fresh) for (const statement of relationshipConstraintStatements()) await session.run(statement);
  } finally {
    await session.close();
  }
  const ended = performance.now();
  const written = counts.node + counts.relationship;
  return {
    nodes: counts.node,
    relationships: counts.relationship,
    fresh,
    ms: ended - started,
    schemaMs: marks.schema - started,
    loadMs: marks.load - marks.schema,
    constraintsMs: ended - marks.load,
    rate: ended > marks.schema ? (written * 1000) / (ended - marks.schema) : 0,
  };
}
