import { MultiDirectedGraph } from "graphology";
import type { CaseData } from "./case-data.js";
import { type GapFact, graphRows } from "./graph-rows.js";
import {
  graphSchema,
  keyProperty,
  NODE_LABELS,
  type NodeLabel,
  type NodeProperties,
  RELATIONSHIP_NAMES,
  type RelationshipName,
  type RelationshipProperties,
} from "./schema.js";

/** A node's attributes: its label and the properties the schema declares for it. */
export type NodeAttributes = { [L in NodeLabel]: { label: L } & NodeProperties<L> }[NodeLabel];
/** An edge's attributes: its relationship type and declared properties. */
export type EdgeAttributes = {
  [R in RelationshipName]: {
    type: (typeof graphSchema.relationships)[R]["type"];
  } & RelationshipProperties<R>;
}[RelationshipName];

export type CaseGraph = MultiDirectedGraph<NodeAttributes, EdgeAttributes>;

/** graphology node keys are `<Label>:<unique value>`, so two labels never collide. */
export const nodeKey = (label: NodeLabel, value: string): string => `${label}:${value}`;

/** The model as one graphology MultiDirectedGraph with the Neo4j labels and relationship types (DESIGN §6). */
export function buildGraph(data: CaseData, gaps: readonly GapFact[] = []): CaseGraph {
  const rows = graphRows(data, gaps);
  const graph: CaseGraph = new MultiDirectedGraph();
  for (const label of NODE_LABELS) {
    const key = keyProperty(label);
    for (const properties of rows.nodes[label] as NodeProperties<NodeLabel>[]) {
      const value = String((properties as Record<string, unknown>)[key]);
      graph.addNode(nodeKey(label, value), { label, ...properties } as NodeAttributes);
    }
  }
  for (const name of RELATIONSHIP_NAMES) {
    const spec = graphSchema.relationships[name];
    // Edge keys of our own (graphology's are random): the same case exports to the same bytes.
    rows.relationships[name].forEach((row, index) => {
      graph.addEdgeWithKey(`${name}:${index}`, nodeKey(spec.from, row.start), nodeKey(spec.to, row.end), {
        type: spec.type,
        ...row.properties,
      } as EdgeAttributes);
    });
  }
  return graph;
}
