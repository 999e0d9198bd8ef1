// Question: Which key policy versions did key $key have, and when was each in force?
// Parameters:
//   $key: key ARN or key id. Example: arn:aws:kms:us-east-1:111122223333:key/df521c30-1c8c-4b46-bd2e-5a1a2e3c9a10
// Columns:
//   key: the key ARN
//   version: 1 for CreateKey's (or the default) policy, +1 per PutKeyPolicy
//   from: start of the version's interval
//   to: end (null: still in force at the end of the trail)
//   confidence: recorded, or inferred for KMS's default policy
//   openedBy: eventIds of the CreateKey/PutKeyPolicy
//   allows: number of (statement, principal) Allow edges
//   denies: number of (statement, principal) Deny edges
//   document: the policy document, JSON text
MATCH (k:Key)
WHERE k.arn = $key OR k.keyId = $key
MATCH (p:PolicyVersion)-[:POLICY_OF]->(k)
RETURN k.arn AS key, p.version AS version, p.from AS from, p.to AS to, p.confidence AS confidence,
       p.openedBy AS openedBy, COUNT { (p)-[:ALLOWS]->() } AS allows, COUNT { (p)-[:DENIES]->() } AS denies,
       p.document AS document
ORDER BY key, version
