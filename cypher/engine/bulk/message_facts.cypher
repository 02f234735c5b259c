// Bulk import: for each message ($actor[i] to $recipient[i] at $at[i]), what can_message needs
// (as pair_state reads it) and whether it is already recorded.
UNWIND range(0, size($actor) - 1) AS i
MATCH (a:Account {id: $actor[i]}), (b:Account {id: $recipient[i]})
RETURN
  i,
  b.dm_policy AS dm_policy,
  EXISTS { (a)-[:FOLLOWS]->(b) } AND EXISTS { (b)-[:FOLLOWS]->(a) } AS friends,
  {{blocks(a=a, b=b)}} AS sender_blocks,
  {{blocks(a=b, b=a)}} AS recipient_blocks,
  EXISTS { (a)-[:INTERACTED {kind: 'message', at: datetime($at[i])}]->(b) } AS recorded
