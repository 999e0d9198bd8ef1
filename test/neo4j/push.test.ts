import { join } from "node:path";
import { beforeEach, describe, expect, it } from "vitest";
import { cypherScript, scriptStatements } from "../../src/neo4j/index.js";
import {
  graphCounts,
  HOSTILE,
  hostileCase,
  type LoadedCase,
  loadCaseFrom,
  push,
  query,
  rowCounts,
  SCENARIOS,
} from "./graph-fixtures.js";
import { clearDatabase, neo4jUri, withSession } from "./helpers.js";

const demo = SCENARIOS.find((scenario) => scenario.name === "demo")?.dir ?? join("fixtures", "demo");

async function runScript(script: string): Promise<void> {
  await withSession(async (session) => {
    for (const statement of scriptStatements(script)) await session.run(statement);
  });
}

/** What the hostile strings became in the database: alias names, statement Sids, grant constraints. */
async function hostileValues() {
  return withSession(async (session) => {
    const aliases = await session.run("MATCH (a:Alias) RETURN a.name AS value ORDER BY value");
    const sids = await session.run(
      "MATCH ()-[r:ALLOWS|DENIES]->() RETURN DISTINCT r.sid AS value ORDER BY value",
    );
    const constraints = await session.run("MATCH (g:Grant) RETURN g.constraints AS value ORDER BY value");
    const values = (result: typeof aliases) => result.records.map((record) => record.get("value") as string);
    return { aliases: values(aliases), sids: values(sids), constraints: values(constraints) };
  });
}

describe.skipIf(!neo4jUri())("neo4j push and the Cypher export", () => {
  beforeEach(clearDatabase);

  it("holds exactly the rows of the model, and a second push changes nothing", async () => {
    const loaded = await loadCaseFrom(demo);
    const first = await push(loaded.rows, 7);
    const after = await graphCounts();
    expect(first.fresh).toBe(true);
    expect(after).toEqual(rowCounts(loaded.rows));
    expect(first.nodes + first.relationships).toBe(Object.values(after).reduce((sum, n) => sum + n, 0));
    const second = await push(loaded.rows, 1000);
    expect(second.fresh).toBe(false);
    expect(await graphCounts()).toEqual(after);
  });

  it("writes a repeated identity once on a fresh database, as MERGE would", async () => {
    const { rows } = await loadCaseFrom(demo);
    const repeated = {
      ...rows,
      relationships: {
        ...rows.relationships,
        used: [...rows.relationships.used, ...rows.relationships.used.slice(0, 3)],
        grantOn: [...rows.relationships.grantOn, ...rows.relationships.grantOn.slice(0, 2)],
      },
    };
    const result = await push(repeated, 5);
    expect(result.fresh).toBe(true);
    expect(await graphCounts()).toEqual(rowCounts(rows));
  });

  it("MERGEs into a database that already holds keytrail nodes (an interrupted push, re-run)", async () => {
    const { rows } = await loadCaseFrom(demo);
    const nodesOnly = {
      nodes: rows.nodes,
      relationships: Object.fromEntries(
        Object.keys(rows.relationships).map((name) => [name, []]),
      ) as unknown as typeof rows.relationships,
    };
    await push(nodesOnly);
    const result = await push(rows, 50);
    expect(result.fresh).toBe(false);
    expect(await graphCounts()).toEqual(rowCounts(rows));
  });

  it("creates the uniqueness constraints and indexes once", async () => {
    const loaded = await loadCaseFrom(demo);
    await push(loaded.rows);
    await push(loaded.rows);
    const constraints = await withSession((session) =>
      session.run("SHOW CONSTRAINTS YIELD name RETURN name"),
    );
    expect(constraints.records.map((record) => record.get("name"))).toContain("key_arn");
    // one per label, and one per relationship type with parallel instances (ALIAS_OF, IN_STATE, ALLOWS, DENIES, USED)
    expect(constraints.records).toHaveLength(14);
  });

  it("loads the exported script into an empty database with the same counts as a push", async () => {
    const loaded = await loadCaseFrom(demo);
    await push(loaded.rows);
    const pushed = await graphCounts();
    await clearDatabase();
    await runScript(cypherScript(loaded.rows, 50));
    expect(await graphCounts()).toEqual(pushed);
  });

  describe("hostile strings (quotes, backslashes, backticks, }, //, $, newlines)", () => {
    let hostile: LoadedCase;
    const expected = () => ({
      aliases: [`alias/${HOSTILE}`],
      sids: hostile.rows.relationships.allows.map((row) => row.properties.sid).filter((sid) => sid !== null),
      constraints: hostile.rows.nodes.Grant.map((grant) => grant.constraints),
    });

    it("round-trip unchanged through push and a named query", async () => {
      hostile = await hostileCase();
      await push(hostile.rows);
      const values = await hostileValues();
      expect(values.aliases).toEqual(expected().aliases);
      expect(values.sids).toEqual([...new Set(expected().sids)].sort());
      expect(values.sids.every((sid) => sid.startsWith(HOSTILE))).toBe(true);
      expect(values.constraints).toEqual(expected().constraints);
      expect(JSON.parse(values.constraints[0] ?? "{}")).toEqual({
        encryptionContextSubset: { [HOSTILE]: HOSTILE },
        encryptionContextEquals: null,
      });
      const history = await query("alias-history", { alias: `alias/${HOSTILE}` });
      expect(history.rows.map((row) => row.alias)).toEqual([`alias/${HOSTILE}`]);
    });

    it("round-trip unchanged through the exported script", async () => {
      hostile = await hostileCase();
      await runScript(cypherScript(hostile.rows, 3));
      const values = await hostileValues();
      expect(values.aliases).toEqual(expected().aliases);
      expect(values.sids).toEqual([...new Set(expected().sids)].sort());
      expect(values.constraints).toEqual(expected().constraints);
    });
  });
});
