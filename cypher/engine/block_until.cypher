// a's active block of b now ends at $until (null: until unblocked); nothing else changes.
MATCH (a:Account {id: $a})-[r:BLOCKS]->(b:Account {id: $b})
SET r.until = $until
