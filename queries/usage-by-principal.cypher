// Question: Which keys did principal $principal call, with which operations, between $from and $to?
// Parameters:
//   $principal: normalized principal id (role or user ARN, account id, service). Example: arn:aws:iam::111122223333:role/OrdersApp
//   $from: start of the window (ISO 8601). Example: 2024-03-04T13:00:00Z
//   $to: end of the window, exclusive (ISO 8601). Example: 2024-03-05T00:00:00Z
// Columns:
//   principal: the principal
//   key: key ARN
//   keyRole: key, or destination for ReEncrypt's destination key
//   operation: API operation
//   count: successful calls
//   denied: failed calls
//   keyFromAlias: calls whose record named an alias and no key (their key is the one the alias history gives)
//   first: first call
//   last: last call
// Calls are stored per UTC hour: an hour that straddles $from or $to counts whole, so give whole hours for exact counts.
MATCH (p:Principal {id: $principal})-[u:USED]->(k:Key)
WHERE u.last >= datetime($from) AND u.first < datetime($to)
RETURN p.id AS principal, k.arn AS key, u.role AS keyRole, u.operation AS operation, sum(u.count) AS count,
       sum(u.denied) AS denied, sum(u.keyFromAlias) AS keyFromAlias, min(u.first) AS first, max(u.last) AS last
ORDER BY key, keyRole, operation
