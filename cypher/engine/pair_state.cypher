// Every relationship between a and b, and b's message policy (read after lock_accounts when writing).
OPTIONAL MATCH (a:Account {id: $a})
OPTIONAL MATCH (b:Account {id: $b})
RETURN
  a IS NOT NULL AS a_found,
  b IS NOT NULL AS b_found,
  b.dm_policy AS b_dm_policy,
  EXISTS { (a)-[:FOLLOWS]->(b) } AS a_follows_b,
  EXISTS { (b)-[:FOLLOWS]->(a) } AS b_follows_a,
  EXISTS { (a)-[:REQUESTED]->(b) } AS a_requested_b,
  EXISTS { (b)-[:REQUESTED]->(a) } AS b_requested_a,
  EXISTS { (a)-[:BLOCKS]->(b) } AS a_blocks_b,
  EXISTS { (b)-[:BLOCKS]->(a) } AS b_blocks_a
