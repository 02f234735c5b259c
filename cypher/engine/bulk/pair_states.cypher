// Bulk import: for each pair ($a[i], $b[i]) of existing accounts, what already exists between
// them. Only pairs with something between them are returned (a fresh import has few).
UNWIND range(0, size($a) - 1) AS i
MATCH (a:Account {id: $a[i]}), (b:Account {id: $b[i]})
WITH i,
  EXISTS { (a)-[:FOLLOWS]->(b) } AS follows,
  EXISTS { (a)-[:REQUESTED]->(b) } AS requested,
  EXISTS { (a)-[:BLOCKS]->(b) } AS blocks,
  EXISTS { (b)-[:BLOCKS]->(a) } AS blocked_by
WHERE follows OR requested OR blocks OR blocked_by
RETURN i, follows, requested, blocks, blocked_by
