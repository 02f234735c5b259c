// a's pending request to b is withdrawn, denied or cancelled.
MATCH (a:Account {id: $a})-[r:REQUESTED]->(b:Account {id: $b})
DELETE r
