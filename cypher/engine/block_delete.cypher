// a unblocks b (nothing that the block deleted comes back).
MATCH (a:Account {id: $a})-[r:BLOCKS]->(b:Account {id: $b})
DELETE r
