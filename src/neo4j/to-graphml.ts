import type { CaseGraph } from "../model/index.js";

/**
 * `export --format graphml`: the graphology graph as GraphML 1.0 (graphology-graphml is not a dependency).
 * Each node's label is the `labels` attribute (`:Key`, as Neo4j's own GraphML export writes it) and each
 * edge's type the `label` attribute; list values are JSON text. Attribute keys are declared per domain with
 * the GraphML type of their values.
 */
export function toGraphml(graph: CaseGraph): string {
  const nodeKeys = attributeTypes(graph.mapNodes((_, attributes) => renamed(attributes, "label", "labels")));
  const edgeKeys = attributeTypes(graph.mapEdges((_, attributes) => renamed(attributes, "type", "label")));
  const lines = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<graphml xmlns="http://graphml.graphdrawing.org/xmlns">',
    ...keyLines("node", "n", nodeKeys),
    ...keyLines("edge", "e", edgeKeys),
    '  <graph id="keytrail" edgedefault="directed">',
  ];
  graph.forEachNode((node, attributes) => {
    const data = renamed(attributes, "label", "labels");
    data.labels = `:${String(data.labels)}`;
    lines.push(`    <node id="${xml(node)}">${dataLines("n", nodeKeys, data)}</node>`);
  });
  graph.forEachEdge((edge, attributes, source, target) => {
    const data = renamed(attributes, "type", "label");
    lines.push(
      `    <edge id="${xml(edge)}" source="${xml(source)}" target="${xml(target)}">${dataLines("e", edgeKeys, data)}</edge>`,
    );
  });
  lines.push("  </graph>", "</graphml>");
  return `${lines.join("\n")}\n`;
}

type GraphmlType = "string" | "boolean" | "long" | "double";

function renamed(attributes: object, from: string, to: string): Record<string, unknown> {
  const { [from]: value, ...rest } = attributes as Record<string, unknown>;
  return { [to]: value, ...rest };
}

function typeOf(value: unknown): GraphmlType {
  if (typeof value === "boolean") return "boolean";
  if (typeof value === "number") return Number.isInteger(value) ? "long" : "double";
  return "string";
}

/** Attribute name -> GraphML type, from the values present (null never decides a type). */
function attributeTypes(records: Record<string, unknown>[]): Map<string, GraphmlType> {
  const types = new Map<string, GraphmlType>();
  for (const record of records) {
    for (const [name, value] of Object.entries(record)) {
      if (value === null || value === undefined) {
        if (!types.has(name)) types.set(name, "string");
        continue;
      }
      const type = typeOf(value);
      const known = types.get(name);
      types.set(
        name,
        known === undefined || known === type
          ? type
          : known === "long" && type === "double"
            ? "double"
            : "string",
      );
    }
  }
  return types;
}

function keyLines(domain: "node" | "edge", prefix: string, keys: Map<string, GraphmlType>): string[] {
  return [...keys].map(
    ([name, type]) =>
      `  <key id="${prefix}_${xml(name)}" for="${domain}" attr.name="${xml(name)}" attr.type="${type}"/>`,
  );
}

function dataLines(prefix: string, keys: Map<string, GraphmlType>, data: Record<string, unknown>): string {
  return Object.entries(data)
    .filter(([name, value]) => value !== null && value !== undefined && keys.has(name))
    .map(([name, value]) => {
      const text = typeof value === "object" ? JSON.stringify(value) : String(value);
      return `<data key="${prefix}_${xml(name)}">${xml(text)}</data>`;
    })
    .join("");
}

const XML_SPECIAL: Record<string, string> = {
  "&": "&amp;",
  "<": "&lt;",
  ">": "&gt;",
  '"': "&quot;",
  "'": "&apos;",
  // A parser normalizes whitespace in attribute values to spaces: as character references they survive.
  "\t": "&#9;",
  "\n": "&#10;",
  "\r": "&#13;",
};
// biome-ignore lint/suspicious/noControlCharactersInRegex: these are the characters XML 1.0 cannot carry
const NOT_XML = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g;

/** XML text and attribute escaping; characters XML 1.0 cannot carry at all are written as \uXXXX. */
export function xml(text: string): string {
  return text
    .replace(/[&<>"'\t\n\r]/g, (char) => XML_SPECIAL[char] ?? char)
    .replace(NOT_XML, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, "0")}`);
}
