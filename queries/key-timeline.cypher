// Question: Which management events touched key $key, in time order?
// Parameters:
//   $key: key ARN or key id. Example: arn:aws:kms:us-east-1:111122223333:key/df521c30-1c8c-4b46-bd2e-5a1a2e3c9a10
// Columns:
//   key: the key ARN
//   time: event time
//   name: event name
//   actor: normalized principal that made the call (session name apart)
//   sessionName: assumed-role session name, if any
//   summary: what changed, in words
//   error: errorCode of a failed call, else null
//   eventIds: the event's eventId, then its cross-account copy's
MATCH (k:Key)
WHERE k.arn = $key OR k.keyId = $key
MATCH (e:Event)-[:ON]->(k)
RETURN k.arn AS key, e.time AS time, e.name AS name, e.actor AS actor, e.sessionName AS sessionName,
       e.summary AS summary, e.errorCode AS error, [e.eventId] + e.alsoEventIds AS eventIds
ORDER BY time, e.eventId
