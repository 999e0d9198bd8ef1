export { clearDatabase } from "./clear-database.js";
export { cypherLiteral, cypherString } from "./cypher-literal.js";
export { cypherScript, scriptStatements } from "./cypher-script.js";
export {
  constraintStatements,
  indexStatements,
  nodeConstraintStatements,
  nodeMergeStatement,
  relationshipConstraintStatements,
  relationshipCreateStatement,
  relationshipMergeStatement,
  schemaStatements,
} from "./cypher-statements.js";
export type { NamedQuery, QueryResult } from "./named-queries.js";
export {
  listQueries,
  loadQuery,
  parseNamedQuery,
  plainValue,
  QUERIES_DIR,
  queryParameters,
  runNamedQuery,
} from "./named-queries.js";
export { neo4jError } from "./neo4j-error.js";
export { type Neo4jOptions, neo4jOptionsFrom, neo4jOptionsSchema } from "./neo4j-options.js";
export { openDriver, sessionConfig } from "./open-driver.js";
export type { LoadStep, PushOptions, PushProgress, PushResult } from "./push-graph.js";
export {
  DEFAULT_BATCH_SIZE,
  distinctRelationships,
  FRESH_SESSIONS,
  loadOrder,
  loadSteps,
  pairRows,
  pushGraph,
} from "./push-graph.js";
export { pushResultBlocks, queryResultBlocks } from "./result-blocks.js";
export { schemaMarkdown } from "./schema-markdown.js";
export { prepareClasspath } from "./server/prepare-classpath.js";
export { startTempNeo4j, type TempNeo4j } from "./server/temp-neo4j.js";
export { toGraphml, xml } from "./to-graphml.js";
