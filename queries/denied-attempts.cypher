// Question: Which calls failed (denied, or refused for the key's state) between $from and $to, and by whom?
// Parameters:
//   $from: start of the window (ISO 8601). Example: 2024-03-04T00:00:00Z
//   $to: end of the window, exclusive (ISO 8601). Example: 2024-03-12T00:00:00Z
// Columns:
//   kind: usage (cryptographic calls and reads, per UTC hour) or management (one failed management event)
//   principal: the caller
//   key: key ARN (null for a management call on no known key)
//   operation: API operation or event name
//   denied: failed calls
//   keyFromAlias: failed calls whose record named an alias and no key, counted on the key the alias history gives (management: 0)
//   first: first call of the hours with failures (management: the event time)
//   last: last call of those hours
//   errors: errorCodes (management events only; usage keeps the count)
// Usage calls are stored per UTC hour: give whole hours for exact counts.
CALL () {
  MATCH (p:Principal)-[u:USED]->(k:Key)
  WHERE u.denied > 0 AND u.last >= datetime($from) AND u.first < datetime($to) AND u.role = 'key'
  RETURN 'usage' AS kind, p.id AS principal, k.arn AS key, u.operation AS operation, sum(u.denied) AS denied,
         sum(u.deniedKeyFromAlias) AS keyFromAlias, min(u.first) AS first, max(u.last) AS last, [] AS errors
  UNION ALL
  MATCH (p:Principal)-[:PERFORMED]->(e:Event)
  WHERE e.errorCode IS NOT NULL AND e.time >= datetime($from) AND e.time < datetime($to)
  OPTIONAL MATCH (e)-[:ON]->(k:Key)
  RETURN 'management' AS kind, p.id AS principal, k.arn AS key, e.name AS operation, 1 AS denied,
         0 AS keyFromAlias, e.time AS first, e.time AS last, [e.errorCode] AS errors
}
RETURN kind, principal, key, operation, denied, keyFromAlias, first, last, errors
ORDER BY first, kind, principal, operation
