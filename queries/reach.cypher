// Question: Which keys could principal $principal use at time $at, for which operations?
// Parameters:
//   $principal: normalized principal id (role or user ARN, account id, service). Example: arn:aws:iam::111122223333:role/OrdersApp
//   $at: ISO 8601 instant. Example: 2024-03-04T13:15:00Z
// Columns:
//   key: key ARN
//   state: key state at $at
//   operations: KMS actions on the key the principal could perform then (those the state refuses are left out)
//   via: how: keyPolicy (statement naming it or *), iamDelegation (statement naming its account), grant
// A statement reaches the principal when it names it, its account (IAM delegation) or *; grants reach their
// grantee. Only unconditional Deny statements naming it, its account or * take operations away.
WITH datetime($at) AS at
MATCH (me:Principal {id: $principal})
MATCH (k:Key)
OPTIONAL MATCH (k)-[s:IN_STATE]->(st:KeyState)
WHERE s.from <= at AND (s.to IS NULL OR at < s.to)
WITH me, k, at,
     CASE WHEN k.createdAt IS NOT NULL AND at < k.createdAt THEN 'NotCreated'
          WHEN st IS NULL OR s.confidence = 'unknown' THEN 'Unknown' ELSE st.name END AS state
CALL (me, k, at) {
  MATCH (p:PolicyVersion)-[pv:POLICY_OF]->(k)
  WHERE pv.from <= at AND (pv.to IS NULL OR at < pv.to)
  MATCH (p)-[a:ALLOWS]->(who:Principal)
  WHERE (who.id = me.id OR who.id = '*' OR (who.kind = 'account' AND who.id = me.account)) AND NOT me.id IN a.except
  UNWIND a.actions AS action
  WITH me, p, who, action
  WHERE NOT EXISTS {
    MATCH (p)-[d:DENIES]->(x:Principal)
    WHERE action IN d.actions AND NOT d.conditional AND size(d.except) = 0
      AND (x.id = '*' OR x.id = me.id OR (x.kind = 'account' AND x.id = me.account))
  }
  RETURN action, CASE WHEN who.kind = 'account' THEN 'iamDelegation' ELSE 'keyPolicy' END AS via
  UNION
  MATCH (g:Grant)-[:GRANT_ON]->(k)
  WHERE g.from <= at AND (g.to IS NULL OR at < g.to)
  MATCH (g)-[:GRANTED_TO]->(me)
  UNWIND g.operations AS action
  WITH me, k, at, action
  WHERE NOT EXISTS {
    MATCH (p:PolicyVersion)-[pv:POLICY_OF]->(k)
    WHERE pv.from <= at AND (pv.to IS NULL OR at < pv.to)
    MATCH (p)-[d:DENIES]->(x:Principal)
    WHERE action IN d.actions AND NOT d.conditional AND size(d.except) = 0
      AND (x.id = '*' OR x.id = me.id OR (x.kind = 'account' AND x.id = me.account))
  }
  RETURN action, 'grant' AS via
}
// The flags are computed first: Neo4j 5.26 mis-plans `NOT a IN l1 AND NOT (a IN l2 AND …)` in one WHERE.
WITH k, state, action, via,
     action IN ['ConnectCustomKeyStore', 'CreateCustomKeyStore', 'CreateKey', 'DeleteCustomKeyStore',
                'DescribeCustomKeyStores', 'DisconnectCustomKeyStore', 'GenerateRandom', 'ListAliases',
                'ListKeys', 'ListRetirableGrants', 'UpdateCustomKeyStore'] AS keyless,
     action IN ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey',
                'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
                'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'GetPublicKey', 'DeriveSharedSecret'] AS cryptographic
WITH k, state, action, via, keyless, cryptographic
WHERE keyless = false AND state <> 'NotCreated' AND state <> 'Deleted'
  AND (cryptographic = false OR state = 'Enabled' OR state = 'Unknown')
WITH k, state, action, via
ORDER BY action, via
WITH k, state, collect(DISTINCT action) AS operations, collect(DISTINCT via) AS via
RETURN k.arn AS key, state, operations, via
ORDER BY key
