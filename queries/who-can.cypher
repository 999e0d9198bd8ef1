// Question: Who could use key $key for operation $operation at time $at, and through which statement or grant?
// Parameters:
//   $key: key ARN or key id. Example: arn:aws:kms:us-east-1:111122223333:key/df521c30-1c8c-4b46-bd2e-5a1a2e3c9a10
//   $operation: KMS action without the kms: prefix (ReEncryptFrom/ReEncryptTo for ReEncrypt). Example: Decrypt
//   $at: ISO 8601 instant. Example: 2024-03-04T13:15:00Z
// Columns:
//   key: the key ARN
//   state: key state at $at (NotCreated, Unknown, Enabled, …)
//   usable: whether the key state lets $operation through (Unknown is assumed usable)
//   principal: normalized principal as named (a session ARN for one assumed-role session), account id or * (null: nobody)
//   kind: the principal's kind (role for a session)
//   via: keyPolicy, iamDelegation (a statement naming an account), grant, or escalation
//   sid: the statement's Sid (policy routes)
//   statement: the statement's 0-based position (policy routes)
//   grantId: the grant (grant routes)
//   action: for escalation, PutKeyPolicy or CreateGrant (through a grant, only when the grant includes $operation or may: operationsUnknown)
//   conditional: the route has a Condition, grant constraints that apply to the operation, or operationsUnknown, or it is a route to * or to a principal of unknown account for an action KMS refuses across accounts (who-can's via.onlyAccount)
//   conditions: the Condition element or the grant constraints, JSON text, reported as written
//   except: for a NotPrincipal Allow (principal *), who is excluded
//   operationsUnknown: a grant route (or escalation through the grant) whose CreateGrant record did not log the operations: it may or may not include the action, so its outcome is unknown (who-can's via.operationsUnknown)
// Principals are listed as the statement or grant names them: an assumed-role session ARN stays that one session,
// an account (iamDelegation, or a grant to the account) stays the account. Only unconditional Deny statements
// naming the principal, its account or * remove a route, and one naming a role also removes the routes of its
// sessions; NotPrincipal Denies and conditional Denies are not applied (who-can reports them). A grant whose
// operations were not logged is a route for any operation a grant can have (Encrypt, Decrypt, ReEncryptFrom,
// ReEncryptTo, GenerateDataKey*, Sign, Verify, GetPublicKey, GenerateMac, VerifyMac, DeriveSharedSecret,
// DescribeKey, CreateGrant, RetireGrant), never for another. An action AWS documents as not cross-account (the
// "Cross-account use: No" actions of the KMS permissions reference, PutKeyPolicy, ScheduleKeyDeletion, DisableKey, …
// the local engine's SAME_ACCOUNT_ACTIONS, mirrored here) is never a route to a role, user, account or federated
// principal of another account than the key's, escalation through PutKeyPolicy included; a route to * or to a
// principal of unknown account is kept, conditional. Grants can only hold cross-account actions.
WITH datetime($at) AS at
MATCH (k:Key)
WHERE k.arn = $key OR k.keyId = $key
OPTIONAL MATCH (k)-[s:IN_STATE]->(st:KeyState)
WHERE s.from <= at AND (s.to IS NULL OR at < s.to)
WITH k, at,
     CASE WHEN k.createdAt IS NOT NULL AND at < k.createdAt AND (st IS NULL OR s.confidence = 'unknown') THEN 'NotCreated'
          WHEN st IS NULL OR s.confidence = 'unknown' THEN 'Unknown' ELSE st.name END AS state
WITH k, at, state,
     $operation IN ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey',
                    'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
                    'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'GetPublicKey', 'DeriveSharedSecret'] AS cryptographic
// Flags first, then plain comparisons: Neo4j 5.26 mis-plans some NOT … IN … combinations (see reach.cypher).
WITH k, at, state,
     state <> 'NotCreated' AND state <> 'Deleted' AND (cryptographic = false OR state = 'Enabled' OR state = 'Unknown')
       AS usable
OPTIONAL CALL (k, at) {
  MATCH (p:PolicyVersion)-[pv:POLICY_OF]->(k)
  WHERE pv.from <= at AND (pv.to IS NULL OR at < pv.to)
  MATCH (p)-[a:ALLOWS]->(who:Principal)
  UNWIND [{action: $operation, escalation: false}, {action: 'PutKeyPolicy', escalation: true},
          {action: 'CreateGrant', escalation: true}] AS route
  // A principal named as an assumed-role session: its role, whose Denies reach the session too.
  WITH k, p, a, who, route,
       CASE WHEN who.id =~ 'arn:aws[a-z-]*:sts::[0-9]{12}:assumed-role/[^/]+/.+'
         THEN 'arn:' + split(who.id, ':')[1] + ':iam::' + split(who.id, ':')[4] + ':role/' + split(who.id, '/')[1]
       END AS whoRole,
       route.action IN ['CancelKeyDeletion', 'CreateAlias', 'DeleteAlias', 'DeleteImportedKeyMaterial', 'DisableKey',
          'DisableKeyRotation', 'EnableKey', 'EnableKeyRotation', 'GetKeyLastUsage', 'GetKeyPolicy',
          'GetParametersForImport', 'ImportKeyMaterial', 'ListKeyPolicies', 'ListKeyRotations', 'ListResourceTags',
          'PutKeyPolicy', 'ReplicateKey', 'RotateKeyOnDemand', 'ScheduleKeyDeletion', 'TagResource',
          'UntagResource', 'UpdateAlias', 'UpdateKeyDescription', 'UpdatePrimaryRegion'] AS sameAccountOnly,
       who.kind IN ['account', 'role', 'user', 'federated'] AND who.account IS NOT NULL AS accountKnown
  // Flags first (see above): refused across accounts, or kept for the key's account only.
  WITH p, a, who, route, whoRole,
       sameAccountOnly AND accountKnown AND who.account <> k.account AS refused,
       sameAccountOnly AND accountKnown = false AND who.kind <> 'service' AS limited
  WHERE route.action IN a.actions AND refused = false AND NOT EXISTS {
    MATCH (p)-[d:DENIES]->(x:Principal)
    WHERE route.action IN d.actions AND NOT d.conditional AND size(d.except) = 0
      AND (x.id = '*' OR x.id = who.id OR x.id = whoRole OR (x.kind = 'account' AND x.id = who.account))
  }
  RETURN who,
         CASE WHEN route.escalation THEN 'escalation' WHEN who.kind = 'account' THEN 'iamDelegation'
              ELSE 'keyPolicy' END AS via,
         a.sid AS sid, a.statement AS statement, null AS grantId,
         CASE WHEN route.escalation THEN route.action ELSE null END AS action,
         a.conditional OR limited AS conditional, a.conditions AS conditions, a.except AS except,
         false AS operationsUnknown
  UNION
  MATCH (g:Grant)-[:GRANT_ON]->(k)
  WHERE g.from <= at AND (g.to IS NULL OR at < g.to)
  MATCH (g)-[:GRANTED_TO]->(who:Principal)
  UNWIND [{action: $operation, escalation: false}, {action: 'CreateGrant', escalation: true}] AS route
  // A CreateGrant record that did not log the grant's operations leaves them unknown (a graph pushed before
  // operationsKnown existed reads as known): the grant may hold any operation a grant can have, the local
  // engine's GRANT_OPERATIONS, mirrored here.
  WITH k, at, g, who, route, coalesce(g.operationsKnown, true) = false AS operationsUnknown,
       ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext',
        'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'Sign', 'Verify', 'GetPublicKey',
        'CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret'] AS grantable,
       CASE WHEN who.id =~ 'arn:aws[a-z-]*:sts::[0-9]{12}:assumed-role/[^/]+/.+'
         THEN 'arn:' + split(who.id, ':')[1] + ':iam::' + split(who.id, ':')[4] + ':role/' + split(who.id, '/')[1]
       END AS whoRole
  WITH k, at, g, who, route, operationsUnknown, whoRole,
       route.action IN g.operations OR (operationsUnknown AND route.action IN grantable) AS holds,
       $operation IN g.operations OR (operationsUnknown AND $operation IN grantable) AS givesOperation
  // A grant's CreateGrant can only give the grant's own operations: it is an escalation toward those alone.
  WHERE holds AND (route.escalation = false OR givesOperation) AND NOT EXISTS {
    MATCH (p:PolicyVersion)-[pv:POLICY_OF]->(k)
    WHERE pv.from <= at AND (pv.to IS NULL OR at < pv.to)
    MATCH (p)-[d:DENIES]->(x:Principal)
    WHERE route.action IN d.actions AND NOT d.conditional AND size(d.except) = 0
      AND (x.id = '*' OR x.id = who.id OR x.id = whoRole OR (x.kind = 'account' AND x.id = who.account))
  }
  RETURN who, CASE WHEN route.escalation THEN 'escalation' ELSE 'grant' END AS via, null AS sid,
         null AS statement, g.grantId AS grantId, CASE WHEN route.escalation THEN route.action ELSE null END AS action,
         operationsUnknown OR (g.constraints IS NOT NULL AND route.action IN ['Encrypt', 'Decrypt', 'ReEncryptFrom',
           'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair',
           'GenerateDataKeyPairWithoutPlaintext']) AS conditional,
         g.constraints AS conditions, [] AS except, operationsUnknown
}
RETURN k.arn AS key, state, usable, who.id AS principal, who.kind AS kind, via, sid, statement, grantId, action,
       conditional, conditions, except, operationsUnknown
ORDER BY key, principal, via, statement, grantId, action
