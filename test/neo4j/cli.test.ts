import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { MultiDirectedGraph } from "graphology";
import { beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../../src/neo4j/server/free-port.js";
import { runCli } from "../support/run-cli.js";
import { loadCaseFrom, SCENARIOS } from "./graph-fixtures.js";
import { clearDatabase, neo4jUri } from "./helpers.js";

// End to end through the built CLI (`npm run build` first), as a user runs it.
const demo = SCENARIOS.find((scenario) => scenario.name === "demo")?.dir ?? "";
const KEY = "arn:aws:kms:us-east-1:111122223333:key/a88cd345-a9ac-42e7-b8c6-041b7f9e1d6d";
const oneLine = (text: string) => text.trimEnd().split("\n");

describe("keytrail neo4j: connection errors", () => {
  it("a refused port exits 1 with one line naming the URI", async () => {
    const uri = `bolt://127.0.0.1:${await freePort()}`;
    const run = runCli(["neo4j", "push", "-i", demo, "--uri", uri]);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toEqual([expect.stringContaining(`cannot connect to ${uri}`)]);
  });

  it("takes the URI from NEO4J_URI", async () => {
    const uri = `bolt://127.0.0.1:${await freePort()}`;
    const withEnv = runCliEnv(["neo4j", "query", "coverage-gaps"], { NEO4J_URI: uri });
    expect(withEnv.code).toBe(1);
    expect(oneLine(withEnv.stderr)).toEqual([expect.stringContaining(uri)]);
  });

  it("an unknown query name exits 1 and lists the queries", () => {
    const run = runCli(["neo4j", "query", "no-such-question"]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("who-can");
    expect(run.stderr).toContain("coverage-gaps");
  });
});

describe.skipIf(!neo4jUri())("keytrail neo4j against the test server", () => {
  const uri = neo4jUri() ?? "";
  beforeAll(clearDatabase);

  it("a missing database exits 1 with one line", () => {
    const run = runCli(["neo4j", "push", "-i", demo, "--uri", uri, "--database", "nosuchdb"]);
    expect(run.code).toBe(1);
    expect(oneLine(run.stderr)).toEqual([expect.stringContaining('no database "nosuchdb"')]);
  });

  it("pushes the demo and answers a named query with parameters", () => {
    const pushed = runCli(["neo4j", "push", "-i", demo, "--uri", uri, "--format", "json"]);
    expect(pushed.code, pushed.stderr).toBe(0);
    expect(JSON.parse(pushed.stdout)).toMatchObject({
      uri,
      nodes: expect.any(Number),
      rate: expect.any(Number),
    });
    const asked = runCli([
      "neo4j",
      "query",
      "key-state",
      "--uri",
      uri,
      "--param",
      `key=${KEY}`,
      "--param",
      "at=2024-12-17T12:00:00Z",
      "--format",
      "json",
    ]);
    expect(asked.code, asked.stderr).toBe(0);
    const answer = JSON.parse(asked.stdout) as { rows: { key: string; state: string }[] };
    expect(answer.rows).toEqual([expect.objectContaining({ key: KEY, state: expect.any(String) })]);
  });

  it("refuses a query with a missing parameter before connecting", () => {
    const run = runCli(["neo4j", "query", "who-can", "--uri", uri, "--param", `key=${KEY}`]);
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/missing operation, at/);
  });
});

describe("keytrail export", () => {
  const dir = mkdtempSync(join(tmpdir(), "keytrail-export-"));

  it("writes graphology JSON that imports back into a graph of the same size", () => {
    const out = join(dir, "case.json");
    const run = runCli(["export", "--format", "json", "-o", out, "-i", demo]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { nodes: number; relationships: number };
    const graph = MultiDirectedGraph.from(JSON.parse(readFileSync(out, "utf8")));
    expect([graph.order, graph.size]).toEqual([summary.nodes, summary.relationships]);
    expect(graph.getNodeAttribute(`Key:${KEY}`, "label")).toBe("Key");
  });

  it("writes GraphML with one node and edge element per graph node and edge", () => {
    const out = join(dir, "case.graphml");
    const run = runCli(["export", "--format", "graphml", "-o", out, "-i", demo]);
    expect(run.code, run.stderr).toBe(0);
    const summary = JSON.parse(run.stdout) as { nodes: number; relationships: number };
    const text = readFileSync(out, "utf8");
    expect(text.match(/<node id=/g)).toHaveLength(summary.nodes);
    expect(text.match(/<edge id=/g)).toHaveLength(summary.relationships);
    expect(text).toContain(`<node id="Key:${KEY}"><data key="n_labels">:Key</data>`);
  });

  it("writes a Cypher script with one MERGE statement per batch of rows", async () => {
    const out = join(dir, "case.cypher");
    const run = runCli(["export", "--format", "cypher", "-o", out, "-i", demo, "--batch", "10"]);
    expect(run.code, run.stderr).toBe(0);
    const text = readFileSync(out, "utf8");
    expect(text).toMatch(/^CREATE CONSTRAINT key_arn IF NOT EXISTS/m);
    expect(text).not.toContain("$rows");
    const { rows } = await loadCaseFrom(demo);
    const batches = [...Object.values(rows.nodes), ...Object.values(rows.relationships)].reduce(
      (sum, list) => sum + Math.ceil(list.length / 10),
      0,
    );
    expect(text.match(/^UNWIND /gm)).toHaveLength(batches);
  });
});

function runCliEnv(args: string[], env: Record<string, string>) {
  const saved = { ...process.env };
  Object.assign(process.env, env);
  try {
    return runCli(args);
  } finally {
    for (const name of Object.keys(env)) {
      if (saved[name] === undefined) delete process.env[name];
      else process.env[name] = saved[name];
    }
  }
}
