// Question: Which grants were given to principals outside the key's own account (or to anyone)?
// Parameters:
// Columns:
//   grantId: the grant
//   key: key ARN
//   keyAccount: the key's account
//   grantee: grantee principal
//   granteeAccount: the grantee's account (null for anyone)
//   operations: operations the grant allows ([] when not logged: see operationsKnown)
//   operationsKnown: false when the CreateGrant record did not log the operations: the grant may allow any operation a grant can have
//   from: when it was created
//   to: when it ended (null: still active at the end of the trail)
//   creator: principal that created it
MATCH (g:Grant)-[:GRANT_ON]->(k:Key)
MATCH (g)-[:GRANTED_TO]->(p:Principal)
WHERE (p.kind = 'any' OR (p.account IS NOT NULL AND p.account <> k.account)) AND p.kind <> 'service'
  AND size(g.openedBy) > 0
RETURN g.grantId AS grantId, k.arn AS key, k.account AS keyAccount, p.id AS grantee, p.account AS granteeAccount,
       g.operations AS operations, coalesce(g.operationsKnown, true) AS operationsKnown, g.from AS from, g.to AS to,
       g.creator AS creator
ORDER BY from, grantId
