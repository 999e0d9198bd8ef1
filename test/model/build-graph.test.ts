import { readdirSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { buildGraph, CaseModel, graphRows, nodeKey } from "../../src/model/index.js";
import { replayInputs } from "../../src/pipeline/index.js";
import { computeGaps } from "../../src/query/index.js";

const fixtures = new URL("../../fixtures/", import.meta.url).pathname;
const scenarios = [
  ...readdirSync(join(fixtures, "scenarios")).map((name) => ({
    name,
    dir: join(fixtures, "scenarios", name),
  })),
  { name: "demo", dir: join(fixtures, "demo") },
];

describe.each(scenarios)("graph of $name", ({ dir }) => {
  const loaded = replayInputs([dir]).then((data) => ({ data, gaps: computeGaps(new CaseModel(data)) }));

  it("holds every key, grant, policy version, management event and gap once, with its label", async () => {
    const { data, gaps } = await loaded;
    const graph = buildGraph(data, gaps);
    const count = (label: string) => graph.filterNodes((_, attributes) => attributes.label === label).length;
    expect(count("Key")).toBe(data.keys.length);
    expect(count("Grant")).toBe(data.grants.length);
    expect(count("PolicyVersion")).toBe(data.keys.reduce((sum, key) => sum + key.policies.length, 0));
    expect(count("Event")).toBe(data.events.length);
    expect(count("Gap")).toBe(gaps.length);
    for (const key of data.keys) expect(graph.getNodeAttribute(nodeKey("Key", key.arn), "label")).toBe("Key");
  });

  it("keeps one IN_STATE edge per state interval and aggregates every usage row into USED", async () => {
    const { data, gaps } = await loaded;
    const graph = buildGraph(data, gaps);
    const inState = graph.filterEdges((_, attributes) => attributes.type === "IN_STATE");
    expect(inState).toHaveLength(data.keys.reduce((sum, key) => sum + key.states.length, 0));
    let calls = 0;
    graph.forEachEdge((_, attributes) => {
      if (attributes.type === "USED" && attributes.role === "key")
        calls += attributes.count + attributes.denied;
    });
    let resolved = 0;
    for (let row = 0; row < data.usage.size; row++) if (data.usage.field(row, "key") !== null) resolved++;
    expect(calls).toBe(resolved);
  });

  it("names its edges the same way every time, so that an export is the same bytes", async () => {
    const { data, gaps } = await loaded;
    const edges = () =>
      buildGraph(data, gaps).mapEdges((edge, _attributes, source, target) => [edge, source, target]);
    expect(edges()).toEqual(edges());
    expect(edges().every(([edge]) => /^[A-Za-z]+:\d+$/.test(String(edge)))).toBe(true);
  });

  it("has as many nodes and edges as graphRows has rows", async () => {
    const { data, gaps } = await loaded;
    const rows = graphRows(data, gaps);
    const graph = buildGraph(data, gaps);
    expect(graph.order).toBe(Object.values(rows.nodes).reduce((sum, list) => sum + list.length, 0));
    expect(graph.size).toBe(Object.values(rows.relationships).reduce((sum, list) => sum + list.length, 0));
  });
});

describe("graph of the key-lifecycle scenario", () => {
  it("links key A's creator, alias interval and both policy versions", async () => {
    const data = await replayInputs([join(fixtures, "scenarios", "key-lifecycle")]);
    const graph = buildGraph(data);
    const key = data.keys.find((candidate) => candidate.arn.includes("df521c30"));
    expect(key).toBeDefined();
    const arn = key?.arn ?? "";
    const into = (type: string) =>
      graph
        .filterInEdges(nodeKey("Key", arn), (_, attributes) => attributes.type === type)
        .map((edge) => graph.source(edge));
    expect(into("CREATED")).toEqual([nodeKey("Principal", key?.createdBy ?? "")]);
    expect(into("ALIAS_OF")).toEqual([
      nodeKey("Alias", "arn:aws:kms:us-east-1:111122223333:alias/lifecycle-demo"),
    ]);
    expect(into("POLICY_OF")).toEqual([
      nodeKey("PolicyVersion", `${arn}#v1`),
      nodeKey("PolicyVersion", `${arn}#v2`),
    ]);
  });
});
