import { Neo4jError } from "neo4j-driver";
import { describe, expect, it } from "vitest";
import { ErrorCode, Neo4jConnectionError, UsageError } from "../../src/errors.js";
import { loadQuery, neo4jError, neo4jOptionsFrom, queryParameters, xml } from "../../src/neo4j/index.js";

// Offline: the driver failures a user can cause become one-line KeytrailErrors with stable codes.
const options = { uri: "bolt://db.example:7687", user: "neo4j", password: "x", database: "cases" };
const driverError = (code: string) => new Neo4jError("driver message", code, "", "");

describe("neo4jError", () => {
  it.each([
    ["Neo.ClientError.Security.Unauthorized", ErrorCode.neo4jAuth],
    ["Neo.ClientError.Database.DatabaseNotFound", ErrorCode.neo4jConnection],
    ["ServiceUnavailable", ErrorCode.neo4jConnection],
  ])("maps %s to %s", (code, expected) => {
    const mapped = neo4jError(driverError(code), options);
    expect(mapped).toBeInstanceOf(Neo4jConnectionError);
    expect((mapped as Neo4jConnectionError).code).toBe(expected);
    expect((mapped as Error).message).not.toContain("\n");
  });

  it.each([
    [
      "Server responded HTTP. Make sure you are not trying to connect to the http endpoint",
      "answers HTTP, not Bolt",
    ],
    ["Connection acquisition timed out in 20000 ms.", "cannot connect to"],
  ])("maps a driver failure without a code (%s) to one line", (message, expected) => {
    const mapped = neo4jError(new Error(message), options);
    expect(mapped).toBeInstanceOf(Neo4jConnectionError);
    expect((mapped as Error).message).toContain(expected);
  });

  it("leaves a Cypher error alone: that is keytrail's bug, not the user's", () => {
    const syntax = driverError("Neo.ClientError.Statement.SyntaxError");
    expect(neo4jError(syntax, options)).toBe(syntax);
  });
});

describe("neo4jOptionsFrom", () => {
  it("prefers flags and falls back to NEO4J_* variables", () => {
    const env = { NEO4J_URI: "bolt://env:7687", NEO4J_USER: "u", NEO4J_PASSWORD: "p", NEO4J_DATABASE: "d" };
    expect(neo4jOptionsFrom({ uri: "bolt://flag:7687" }, env)).toEqual({
      uri: "bolt://flag:7687",
      user: "u",
      password: "p",
      database: "d",
    });
    expect(neo4jOptionsFrom({}, {}).uri).toBe("bolt://localhost:7687");
  });
});

describe("xml (GraphML text)", () => {
  it("escapes markup and writes characters XML cannot carry as \\u escapes", () => {
    expect(xml(`a<b>&"c"'d'`)).toBe("a&lt;b&gt;&amp;&quot;c&quot;&apos;d&apos;");
    expect(xml("bell\u0007")).toBe("bell\\u0007");
    // Whitespace as references: a parser would turn it into spaces in attribute values (and merge node ids).
    expect(xml("alias/x\ty\r\nz")).toBe("alias/x&#9;y&#13;&#10;z");
  });
});

describe("queryParameters", () => {
  it("refuses an instant the query's datetime() could not read, before anything is sent", async () => {
    const query = await loadQuery("who-can");
    const given = { key: "k", operation: "Decrypt" };
    expect(() => queryParameters(query, { ...given, at: "yesterday" })).toThrow(UsageError);
    expect(() => queryParameters(query, { ...given, at: "2024-13-45T00:00:00Z" })).toThrow(
      /--param at=2024-13-45T00:00:00Z is not an ISO 8601 time/,
    );
    expect(() => queryParameters(query, { ...given, at: "2024-02-30" })).toThrow(UsageError);
    expect(queryParameters(query, { ...given, at: "2024-03-04T13:15:00Z" })).toMatchObject({
      at: "2024-03-04T13:15:00.000Z",
    });
  });

  it("reads a date alone or a time without a zone as UTC, as every other command does", async () => {
    const query = await loadQuery("who-can");
    const given = { key: "k", operation: "Decrypt" };
    expect(queryParameters(query, { ...given, at: "2024-03-04" }).at).toBe("2024-03-04T00:00:00.000Z");
    expect(queryParameters(query, { ...given, at: "2024-03-04T13:15:00" }).at).toBe(
      "2024-03-04T13:15:00.000Z",
    );
    expect(queryParameters(query, { ...given, at: "2024-03-04T14:15:00+01:00" }).at).toBe(
      "2024-03-04T13:15:00.000Z",
    );
  });
});
