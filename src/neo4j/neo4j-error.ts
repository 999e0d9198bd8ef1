import { ErrorCode, KeytrailError, Neo4jConnectionError } from "../errors.js";
import type { Neo4jOptions } from "./neo4j-options.js";

const AUTH_CODES = new Set([
  "Neo.ClientError.Security.Unauthorized",
  "Neo.ClientError.Security.AuthenticationRateLimit",
  "Neo.ClientError.Security.CredentialsExpired",
]);

const codeOf = (error: unknown): string =>
  typeof error === "object" && error !== null && "code" in error ? String(error.code) : "";

/**
 * The driver's failures to reach, log in to or find the database, as one-line KeytrailErrors; any other error
 * (a Cypher error is keytrail's bug) is returned unchanged.
 */
export function neo4jError(error: unknown, options: Neo4jOptions): unknown {
  if (error instanceof KeytrailError) return error;
  const code = codeOf(error);
  const where = options.uri;
  if (AUTH_CODES.has(code)) {
    return new Neo4jConnectionError(
      ErrorCode.neo4jAuth,
      `neo4j: ${where} refused the credentials of user "${options.user ?? ""}" (set --user/--password or NEO4J_USER/NEO4J_PASSWORD)`,
      { cause: error },
    );
  }
  if (code === "Neo.ClientError.Database.DatabaseNotFound") {
    return new Neo4jConnectionError(
      ErrorCode.neo4jConnection,
      `neo4j: ${where} has no database "${options.database ?? ""}" (set --database or NEO4J_DATABASE)`,
      { cause: error },
    );
  }
  if (/Server responded HTTP/.test(String(error))) {
    return new Neo4jConnectionError(
      ErrorCode.neo4jConnection,
      `neo4j: ${where} answers HTTP, not Bolt (the browser's port? Bolt is usually 7687; set --uri or NEO4J_URI)`,
      { cause: error },
    );
  }
  if (
    code === "ServiceUnavailable" ||
    code === "SessionExpired" ||
    /ECONNREFUSED|ENOTFOUND|Connection acquisition timed out/.test(String(error))
  ) {
    return new Neo4jConnectionError(
      ErrorCode.neo4jConnection,
      `neo4j: cannot connect to ${where} (is Neo4j running there? set --uri or NEO4J_URI)`,
      { cause: error },
    );
  }
  return error;
}
