// Question: Which keys could principal $principal use at time $at, for which operations?
// Parameters:
//   $principal: normalized principal id (role or user ARN, account id, service), or an assumed-role session ARN for that one session of its role. Example: arn:aws:iam::111122223333:role/OrdersApp
//   $at: ISO 8601 instant. Example: 2024-03-04T13:15:00Z
// Columns:
//   key: key ARN
//   state: key state at $at
//   operations: KMS actions on the key the principal could perform then (those the state refuses are left out)
//   via: how: keyPolicy (statement naming it or *), iamDelegation (statement naming its account), grant
//   sessions: for a role asked as a whole, the session ARNs of routes that name one session of it and so reach only that session
//   operationsUnknown: grants among the routes whose CreateGrant record did not log the operations: through them every operation a grant can have is listed, possible but not certain (reach's via.operationsUnknown, a conditional route)
// A statement or grant reaches the principal when it names it, its account or * (IAM delegation for a statement,
// a grant to an account reaches the account's roles and users), or one session of it: a role asked as a whole is
// reached partly (the session is listed in `sessions`), a session asked is reached by routes naming it or its
// role, never by those naming another session. A NotPrincipal Allow reaches whom it does not exempt (exempting
// one session of a role exempts that part of the role). A route is dropped when an unconditional Deny names its
// principal (a grantee session also through its role), and an operation when one names the principal asked (its
// role, for a session), its account or *. A grant whose operations were not logged is a route for each operation a
// grant can have (Encrypt, Decrypt, ReEncryptFrom, ReEncryptTo, GenerateDataKey*, Sign, Verify, GetPublicKey,
// GenerateMac, VerifyMac, DeriveSharedSecret, DescribeKey, CreateGrant, RetireGrant), never for another. An action AWS
// documents as not cross-account ("Cross-account use: No" in the KMS permissions reference: PutKeyPolicy,
// ScheduleKeyDeletion, DisableKey, … the local engine's SAME_ACCOUNT_ACTIONS, mirrored here) is never an operation of a
// principal of another account than the key's, whatever the statement names (a grant can only hold cross-account
// actions); for a principal whose account is not known it is kept.
WITH datetime($at) AS at,
     $principal =~ 'arn:aws[a-z-]*:sts::[0-9]{12}:assumed-role/[^/]+/.+' AS asSession
// A session ARN is asked as its role, for that one session.
WITH at, CASE WHEN asSession THEN $principal END AS session,
     CASE WHEN asSession
       THEN 'arn:' + split($principal, ':')[1] + ':iam::' + split($principal, ':')[4] + ':role/' +
            split($principal, '/')[1]
     END AS sessionRole
// A principal the graph does not hold is still asked (what * and its account's delegation give it): its account
// is read from the id, as for a session.
OPTIONAL MATCH (named:Principal {id: coalesce(sessionRole, $principal)})
WITH at, session, coalesce(sessionRole, $principal) AS meId,
     CASE WHEN session IS NOT NULL THEN split(session, ':')[4]
          WHEN named IS NOT NULL THEN named.account
          WHEN $principal =~ '[0-9]{12}' THEN $principal
          WHEN $principal =~ 'arn:[^:]*:[^:]*:[^:]*:[0-9]{12}:.+' THEN split($principal, ':')[4]
     END AS meAccount
MATCH (k:Key)
OPTIONAL MATCH (k)-[s:IN_STATE]->(st:KeyState)
WHERE s.from <= at AND (s.to IS NULL OR at < s.to)
WITH meId, meAccount, session, k, at,
     CASE WHEN k.createdAt IS NOT NULL AND at < k.createdAt AND (st IS NULL OR s.confidence = 'unknown') THEN 'NotCreated'
          WHEN st IS NULL OR s.confidence = 'unknown' THEN 'Unknown' ELSE st.name END AS state
CALL (meId, meAccount, session, k, at) {
  MATCH (p:PolicyVersion)-[pv:POLICY_OF]->(k)
  WHERE pv.from <= at AND (pv.to IS NULL OR at < pv.to)
  MATCH (p)-[a:ALLOWS]->(who:Principal)
  WITH meId, meAccount, session, k, p, a, who,
       CASE WHEN who.id =~ 'arn:aws[a-z-]*:sts::[0-9]{12}:assumed-role/[^/]+/.+'
         THEN 'arn:' + split(who.id, ':')[1] + ':iam::' + split(who.id, ':')[4] + ':role/' + split(who.id, '/')[1]
       END AS whoRole
  // Flags first, then plain comparisons: Neo4j 5.26 mis-plans `NOT a IN l1 AND NOT (a IN l2 AND …)` in one WHERE.
  WITH meId, meAccount, session, k, p, a, who, whoRole,
       who.id = meId OR who.id = '*' OR (who.kind = 'account' AND who.id = meAccount) AS whole,
       whoRole IS NOT NULL AND whoRole = meId AND (session IS NULL OR who.id = session) AS oneSession,
       any(e IN a.except
           WHERE e = '*' OR e = meId OR (session IS NOT NULL AND e = session)
             OR (size(split(e, ':')) > 5 AND split(e, ':')[4] = meId)
             OR (session IS NULL AND e =~ 'arn:aws[a-z-]*:sts::[0-9]{12}:assumed-role/[^/]+/.+'
                 AND 'arn:' + split(e, ':')[1] + ':iam::' + split(e, ':')[4] + ':role/' + split(e, '/')[1] = meId))
         AS exempted
  WITH meId, meAccount, session, k, p, a, who, whoRole, coalesce(whole, false) OR oneSession AS reaches, exempted
  WHERE reaches = true AND exempted = false
  UNWIND a.actions AS action
  // Flags first (see above): an action KMS refuses across accounts, asked of a principal of another account.
  WITH meId, meAccount, session, k, p, a, who, whoRole, action,
       action IN ['CancelKeyDeletion', 'CreateAlias', 'DeleteAlias', 'DeleteImportedKeyMaterial',
                'DisableKey', 'DisableKeyRotation', 'EnableKey', 'EnableKeyRotation', 'GetKeyLastUsage',
                'GetKeyPolicy', 'GetParametersForImport', 'ImportKeyMaterial', 'ListKeyPolicies', 'ListKeyRotations',
                'ListResourceTags', 'PutKeyPolicy', 'ReplicateKey', 'RotateKeyOnDemand', 'ScheduleKeyDeletion',
                'TagResource', 'UntagResource', 'UpdateAlias', 'UpdateKeyDescription', 'UpdatePrimaryRegion']
         AS sameAccountOnly
  WITH meId, meAccount, session, p, a, who, whoRole, action,
       sameAccountOnly AND meAccount IS NOT NULL AND meAccount <> k.account AS refused
  WHERE refused = false AND NOT EXISTS {
    MATCH (p)-[d:DENIES]->(x:Principal)
    WHERE action IN d.actions AND NOT d.conditional AND size(d.except) = 0
      AND (x.id = '*' OR x.id = meId OR x.id = session OR x.id = who.id OR x.id = whoRole
           OR (x.kind = 'account' AND (x.id = meAccount OR x.id = who.account)))
  }
  // A route to one session is partial unless the same statement also names the principal whole.
  RETURN action, CASE WHEN who.kind = 'account' THEN 'iamDelegation' ELSE 'keyPolicy' END AS via,
         CASE WHEN session IS NULL AND whoRole = meId AND NOT EXISTS {
           MATCH (p)-[b:ALLOWS]->(other:Principal)
           WHERE b.statement = a.statement
             AND (other.id = meId OR other.id = '*' OR (other.kind = 'account' AND other.id = meAccount))
         } THEN who.id END AS partOf, null AS unlogged
  UNION
  MATCH (g:Grant)-[:GRANT_ON]->(k)
  WHERE g.from <= at AND (g.to IS NULL OR at < g.to)
  MATCH (g)-[:GRANTED_TO]->(who:Principal)
  WITH meId, meAccount, session, k, at, g, who,
       CASE WHEN who.id =~ 'arn:aws[a-z-]*:sts::[0-9]{12}:assumed-role/[^/]+/.+'
         THEN 'arn:' + split(who.id, ':')[1] + ':iam::' + split(who.id, ':')[4] + ':role/' + split(who.id, '/')[1]
       END AS whoRole
  WITH meId, meAccount, session, k, at, g, who, whoRole,
       who.id = meId OR (who.kind = 'account' AND who.id = meAccount) AS whole,
       whoRole IS NOT NULL AND whoRole = meId AND (session IS NULL OR who.id = session) AS oneSession
  WITH meId, meAccount, session, k, at, g, who, whoRole, coalesce(whole, false) OR oneSession AS reaches
  WHERE reaches = true
  // A CreateGrant record that did not log the grant's operations leaves them unknown (a graph pushed before
  // operationsKnown existed reads as known): each operation a grant can have, the local engine's
  // GRANT_OPERATIONS, mirrored here, is possible through it.
  WITH meId, meAccount, session, k, at, g, who, whoRole,
       CASE WHEN coalesce(g.operationsKnown, true) = false THEN g.grantId END AS unlogged
  UNWIND CASE WHEN unlogged IS NULL THEN g.operations
    ELSE ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext',
          'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext', 'Sign', 'Verify', 'GetPublicKey',
          'CreateGrant', 'RetireGrant', 'DescribeKey', 'GenerateMac', 'VerifyMac', 'DeriveSharedSecret']
  END AS action
  WITH meId, meAccount, session, k, at, who, whoRole, action, unlogged
  WHERE NOT EXISTS {
    MATCH (p:PolicyVersion)-[pv:POLICY_OF]->(k)
    WHERE pv.from <= at AND (pv.to IS NULL OR at < pv.to)
    MATCH (p)-[d:DENIES]->(x:Principal)
    WHERE action IN d.actions AND NOT d.conditional AND size(d.except) = 0
      AND (x.id = '*' OR x.id = meId OR x.id = session OR x.id = who.id OR x.id = whoRole
           OR (x.kind = 'account' AND (x.id = meAccount OR x.id = who.account)))
  }
  RETURN action, 'grant' AS via, CASE WHEN session IS NULL AND whoRole = meId THEN who.id END AS partOf, unlogged
}
// The flags are computed first: Neo4j 5.26 mis-plans `NOT a IN l1 AND NOT (a IN l2 AND …)` in one WHERE.
WITH k, state, action, via, partOf, unlogged,
     action IN ['ConnectCustomKeyStore', 'CreateCustomKeyStore', 'CreateKey', 'DeleteCustomKeyStore',
                'DescribeCustomKeyStores', 'DisconnectCustomKeyStore', 'GenerateRandom', 'ListAliases',
                'ListKeys', 'ListRetirableGrants', 'UpdateCustomKeyStore'] AS keyless,
     action IN ['Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey',
                'GenerateDataKeyWithoutPlaintext', 'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
                'Sign', 'Verify', 'GenerateMac', 'VerifyMac', 'GetPublicKey', 'DeriveSharedSecret'] AS cryptographic
WITH k, state, action, via, partOf, unlogged, keyless, cryptographic
WHERE keyless = false AND state <> 'NotCreated' AND state <> 'Deleted'
  AND (cryptographic = false OR state = 'Enabled' OR state = 'Unknown')
WITH k, state, action, via, partOf, unlogged
ORDER BY action, via, partOf
WITH k, state, collect(DISTINCT action) AS operations, collect(DISTINCT via) AS via,
     collect(DISTINCT partOf) AS partial, collect(DISTINCT unlogged) AS unlogged
RETURN k.arn AS key, state, operations, via, COLLECT { UNWIND partial AS arn RETURN arn ORDER BY arn } AS sessions,
       COLLECT { UNWIND unlogged AS grantId RETURN grantId ORDER BY grantId } AS operationsUnknown
ORDER BY key
