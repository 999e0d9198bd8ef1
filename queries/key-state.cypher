// Question: What state was key $key in at time $at, with its aliases, active grants and policy version?
// Parameters:
//   $key: key ARN or key id. Example: arn:aws:kms:us-east-1:111122223333:key/df521c30-1c8c-4b46-bd2e-5a1a2e3c9a10
//   $at: ISO 8601 instant. Example: 2024-03-04T13:15:00Z
// Columns:
//   key: the key ARN
//   state: Enabled, Disabled, …, NotCreated (before CreateKey, where no earlier record set a state) or Unknown (not known from the trail)
//   stateKnown: false when the trail cannot tell
//   confidence: recorded, inferred or unknown
//   since: start of the state interval (null when unknown or not created)
//   aliases: aliases pointing to the key at $at
//   grantIds: grants active on the key at $at
//   policyVersion: key policy version in force at $at (null: unknown)
WITH datetime($at) AS at
MATCH (k:Key)
WHERE k.arn = $key OR k.keyId = $key
OPTIONAL MATCH (k)-[s:IN_STATE]->(st:KeyState)
WHERE s.from <= at AND (s.to IS NULL OR at < s.to)
OPTIONAL MATCH (p:PolicyVersion)-[pv:POLICY_OF]->(k)
WHERE pv.from <= at AND (pv.to IS NULL OR at < pv.to)
CALL (k, at) {
  OPTIONAL MATCH (a:Alias)-[r:ALIAS_OF]->(k)
  WHERE r.from <= at AND (r.to IS NULL OR at < r.to)
  WITH a ORDER BY a.name
  RETURN collect(DISTINCT a.name) AS aliases
}
CALL (k, at) {
  OPTIONAL MATCH (g:Grant)-[:GRANT_ON]->(k)
  WHERE g.from <= at AND (g.to IS NULL OR at < g.to)
  WITH g ORDER BY g.grantId
  RETURN collect(g.grantId) AS grantIds
}
WITH k, s, st, p, aliases, grantIds,
     k.createdAt IS NOT NULL AND at < k.createdAt AND (st IS NULL OR s.confidence = 'unknown') AS notCreated
WITH k, s, p, aliases, grantIds, notCreated,
     CASE WHEN notCreated THEN 'NotCreated' WHEN st IS NULL OR s.confidence = 'unknown' THEN 'Unknown' ELSE st.name END AS state
RETURN k.arn AS key, state, state <> 'Unknown' AS stateKnown,
       CASE WHEN notCreated THEN 'recorded' WHEN state = 'Unknown' THEN 'unknown' ELSE s.confidence END AS confidence,
       CASE WHEN notCreated THEN null ELSE s.from END AS since,
       aliases, grantIds, p.version AS policyVersion
ORDER BY key
