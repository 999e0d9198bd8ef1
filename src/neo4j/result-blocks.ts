import type { Block } from "../render/index.js";
import type { QueryResult } from "./named-queries.js";
import { FRESH_SESSIONS, type PushResult } from "./push-graph.js";

/** `neo4j push` as text: what was written, where, and how fast. */
export function pushResultBlocks(result: PushResult & { uri: string; database: string | null }): Block[] {
  return [
    {
      kind: "fields",
      title: "neo4j push",
      fields: [
        ["uri", result.uri],
        ["database", result.database ?? "(default)"],
        ["nodes", String(result.nodes)],
        ["relationships", String(result.relationships)],
        ["fresh database", result.fresh ? `yes (CREATE, ${FRESH_SESSIONS} sessions)` : "no (MERGE)"],
        ["seconds", (result.ms / 1000).toFixed(2)],
        ["of which constraints before the load", (result.schemaMs / 1000).toFixed(2)],
        ["of which constraints after the load", (result.constraintsMs / 1000).toFixed(2)],
        ["rate", `${Math.round(result.rate)} nodes+relationships/s`],
      ],
    },
  ];
}

const cell = (value: unknown): string =>
  value === null || value === undefined
    ? ""
    : typeof value === "object"
      ? JSON.stringify(value)
      : String(value);

/** `neo4j query` as text: one table row per result row. */
export function queryResultBlocks(result: QueryResult): Block[] {
  return [
    {
      kind: "table",
      title: result.query,
      table: {
        headers: result.columns,
        rows: result.rows.map((row) => result.columns.map((name) => cell(row[name]))),
      },
      empty: "no rows",
    },
  ];
}
