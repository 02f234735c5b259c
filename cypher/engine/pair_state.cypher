// Every relationship between a and b (read after lock_accounts, so nothing moves under us).
MATCH (a:Account {id: $a}), (b:Account {id: $b})
RETURN
  EXISTS { (a)-[:FOLLOWS]->(b) } AS a_follows_b,
  EXISTS { (b)-[:FOLLOWS]->(a) } AS b_follows_a,
  EXISTS { (a)-[:REQUESTED]->(b) } AS a_requested_b,
  EXISTS { (b)-[:REQUESTED]->(a) } AS b_requested_a,
  EXISTS { (a)-[:BLOCKS]->(b) } AS a_blocks_b,
  EXISTS { (b)-[:BLOCKS]->(a) } AS b_blocks_a
