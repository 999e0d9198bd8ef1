import neo4j, { isDateTime, Neo4jError } from "neo4j-driver";
import { beforeEach, describe, expect, it } from "vitest";
import { clearDatabase, neo4jUri, withSession } from "./helpers.js";

// The facts keytrail's Neo4j layer relies on (DESIGN §7), checked against the real server the run started.
describe.skipIf(!neo4jUri())("embedded Neo4j test server", () => {
  beforeEach(clearDatabase);

  it("is Neo4j 5.26 LTS Community, reachable without credentials", async () => {
    const components = await withSession((session) =>
      session.run(
        "CALL dbms.components() YIELD name, versions, edition RETURN name, versions[0] AS version, edition",
      ),
    );
    expect(components.records.map((record) => record.toObject())).toEqual([
      { name: "Neo4j Kernel", version: expect.stringMatching(/^5\.26\.\d+$/), edition: "community" },
    ]);
  });

  it("creates a uniqueness constraint idempotently and enforces it", async () => {
    const createConstraint = "CREATE CONSTRAINT key_arn IF NOT EXISTS FOR (k:Key) REQUIRE k.arn IS UNIQUE";
    const arn = "arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab";
    await withSession(async (session) => {
      await session.run(createConstraint);
      await session.run(createConstraint);
      const shown = await session.run("SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties");
      expect(shown.records.map((record) => record.toObject())).toEqual([
        { name: "key_arn", type: "UNIQUENESS", labelsOrTypes: ["Key"], properties: ["arn"] },
      ]);

      await session.run("CREATE (:Key {arn: $arn})", { arn });
      const duplicate = session.run("CREATE (:Key {arn: $arn})", { arn });
      await expect(duplicate).rejects.toMatchObject({
        code: "Neo.ClientError.Schema.ConstraintValidationFailed",
      });
    });
  });

  it("stores zoned datetimes given as parameters and compares them as instants", async () => {
    const rows = [
      { arn: "k-utc", createdAt: "2024-03-02T10:00:00Z" },
      // Same instant as 10:30Z written in another zone: the comparison must use the instant, not the text.
      { arn: "k-plus2", createdAt: "2024-03-02T12:30:00+02:00" },
      { arn: "k-later", createdAt: "2024-03-02T11:00:00.250Z" },
    ];
    const { stored, before, againstString } = await withSession(async (session) => {
      await session.run(
        "UNWIND $rows AS row CREATE (:Key {arn: row.arn, createdAt: datetime(row.createdAt)})",
        {
          rows,
        },
      );
      const read = await session.run(
        "MATCH (k:Key) RETURN k.arn AS arn, k.createdAt AS createdAt ORDER BY arn",
      );
      const earlier = await session.run(
        "MATCH (k:Key) WHERE k.createdAt < datetime($at) RETURN k.arn AS arn ORDER BY k.createdAt",
        { at: "2024-03-02T11:00:00Z" },
      );
      const mixed = await session.run("MATCH (k:Key {arn: 'k-utc'}) RETURN k.createdAt < $at AS result", {
        at: "2024-03-02T11:00:00Z",
      });
      return {
        stored: read.records.map((record) => ({
          arn: String(record.get("arn")),
          createdAt: record.get("createdAt") as unknown,
        })),
        before: earlier.records.map((record) => String(record.get("arn"))),
        againstString: mixed.records.map((record) => record.get("result") as unknown),
      };
    });

    expect(stored.map(({ arn, createdAt }) => [arn, isDateTime(createdAt), epochMillis(createdAt)])).toEqual([
      ["k-later", true, Date.parse("2024-03-02T11:00:00.250Z")],
      ["k-plus2", true, Date.parse("2024-03-02T10:30:00Z")],
      ["k-utc", true, Date.parse("2024-03-02T10:00:00Z")],
    ]);
    expect(before).toEqual(["k-utc", "k-plus2"]);
    // Why every query must wrap time parameters in datetime(): a string never compares with a datetime.
    expect(againstString).toEqual([null]);
  });

  it("runs CALL { } IN TRANSACTIONS as an auto-commit query, and only so", async () => {
    const batched =
      "UNWIND range(1, $count) AS i CALL (i) { CREATE (:Probe {i: i}) } IN TRANSACTIONS OF 100 ROWS";
    const count = await withSession(async (session) => {
      await session.run(batched, { count: neo4j.int(250) });
      const counted = await session.run("MATCH (p:Probe) RETURN count(p) AS count");
      return counted.records[0]?.get("count");
    });
    expect(neo4j.integer.toNumber(count)).toBe(250);

    const inManagedTransaction = withSession((session) =>
      session.executeWrite((tx) => tx.run(batched, { count: neo4j.int(1) })),
    );
    await expect(inManagedTransaction).rejects.toBeInstanceOf(Neo4jError);
    await expect(inManagedTransaction).rejects.toMatchObject({
      code: "Neo.DatabaseError.Transaction.TransactionStartFailed",
    });
  });
});

function epochMillis(value: unknown): number | undefined {
  return isDateTime(value) ? value.toStandardDate().getTime() : undefined;
}
