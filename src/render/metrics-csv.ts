import type { CsvTable, CsvValue } from "./csv.js";

type MetricColumn = "metric" | "value";
type MetricRow = Record<MetricColumn, CsvValue>;

const leaf = (value: unknown): CsvValue =>
  typeof value === "string" || typeof value === "number" || typeof value === "boolean" ? value : null;

function flatten(value: unknown, path: string, rows: MetricRow[]): void {
  if (value === undefined) return;
  if (value === null || typeof value !== "object") {
    rows.push({ metric: path, value: leaf(value) });
    return;
  }
  const entries = Array.isArray(value)
    ? value.map((item, index): [string, unknown] => [String(index), item])
    : Object.entries(value);
  if (entries.length === 0) rows.push({ metric: path, value: null });
  for (const [name, item] of entries) flatten(item, path ? `${path}.${name}` : name, rows);
}

/**
 * A summary object (replay, key --at, generate, neo4j push) as a `metric,value` table: one row per leaf of its
 * JSON, named by its dotted path (`records.kept.kms`, `coverage.0.account`, `policy.document.Statement.1.Sid`).
 * Null, an empty list or an empty object is one row with an empty value, so that every field of the JSON has
 * a row; fields the JSON leaves out (undefined) have none.
 */
export function metricsCsv(result: object): CsvTable<MetricColumn> {
  const rows: MetricRow[] = [];
  flatten(result, "", rows);
  return { columns: ["metric", "value"], rows };
}
