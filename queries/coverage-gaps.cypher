// Question: Where and when may the trail not show what happened (coverage gaps)?
// Parameters:
// Columns:
//   account: account
//   region: Region
//   from: start of the gap
//   to: end of the gap (null: to the end of what was read)
//   reason: logging-stopped, trail-deleted, kms-excluded, silence or unknown-key-state
//   detail: the gap in words
//   confidence: recorded (the trail says so) or inferred
//   key: for unknown-key-state, the key
//   eventIds: records that opened and closed the gap
MATCH (g:Gap)
RETURN g.account AS account, g.region AS region, g.from AS from, g.to AS to, g.reason AS reason, g.detail AS detail,
       g.confidence AS confidence, g.keyArn AS key, g.eventIds AS eventIds
ORDER BY account, region, from, reason, key
