// Question: Which keys did alias $alias point to, and when (in every account and Region)?
// Parameters:
//   $alias: alias name. Example: alias/lifecycle-demo
// Columns:
//   alias: the alias name
//   account: account of the alias
//   region: Region of the alias
//   key: key ARN it pointed to
//   from: start of the interval
//   to: end of the interval (null: to the end of the trail)
//   confidence: recorded (Create/UpdateAlias) or inferred (seen through calls)
//   openedBy: eventIds that opened the interval
MATCH (a:Alias {name: $alias})-[r:ALIAS_OF]->(k:Key)
RETURN a.name AS alias, a.account AS account, a.region AS region, k.arn AS key, r.from AS from, r.to AS to,
       r.confidence AS confidence, r.openedBy AS openedBy
ORDER BY account, region, from
