import { DuckDBInstance } from "@duckdb/node-api";

/**
 * The DuckDB baseline, run as its own process by run-bench: "calls per principal per key" over the KMS
 * records of a CloudTrail S3 delivery, straight from the .json.gz files. Prints one JSON line.
 * `union_by_name` because the default sampled inference fails: a field first seen after the sample (an
 * errorCode, an additionalEventData) is "unknown key" otherwise.
 * Usage: node dist/bench/duckdb-main.js <trail dir>
 */
function callsPerPrincipalPerKey(dir: string): string {
  const glob = `${dir.replace(/'/g, "''")}/AWSLogs/**/*.json.gz`;
  return `
    WITH records AS (
      SELECT unnest(Records) AS rec
      FROM read_json('${glob}', format = 'auto', union_by_name = true, maximum_object_size = 1073741824)
    )
    SELECT coalesce(rec.userIdentity.sessionContext.sessionIssuer.arn, rec.userIdentity.arn,
                    rec.userIdentity.invokedBy) AS principal,
           rec.resources[1].ARN AS key,
           count(*) AS calls
    FROM records
    WHERE rec.eventSource = 'kms.amazonaws.com'
    GROUP BY ALL`;
}

const dir = process.argv[2];
if (!dir) {
  process.stderr.write("usage: duckdb-main <trail dir>\n");
  process.exitCode = 1;
} else {
  const started = performance.now();
  const instance = await DuckDBInstance.create(":memory:");
  const connection = await instance.connect();
  const result = await connection.runAndReadAll(callsPerPrincipalPerKey(dir));
  const rows = result.getRowObjects();
  let calls = 0;
  for (const row of rows) calls += Number(row.calls);
  process.stdout.write(
    `${JSON.stringify({ groups: rows.length, calls, ms: performance.now() - started })}\n`,
  );
  connection.closeSync();
  instance.closeSync();
}
