// a no longer follows b.
MATCH (a:Account {id: $a})-[r:FOLLOWS]->(b:Account {id: $b})
DELETE r
