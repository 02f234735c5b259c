// Every relationship between a and b, and b's message policy (read after lock_accounts when writing).
// One expand between the two nodes reads every follow, request and block of the pair, either
// way (six existence checks would walk the smaller node's relationships six times); only active
// blocks count (engine/rules/expiry.py), and a_blocks_b_until says when a's block of b ends.
OPTIONAL MATCH (a:Account {id: $a})
OPTIONAL MATCH (b:Account {id: $b})
WITH a, b,
  CASE WHEN a IS NULL OR b IS NULL THEN []
    ELSE [(a)-[r:FOLLOWS|REQUESTED|BLOCKS]-(b) WHERE {{active(rel=r)}} | [type(r), startNode(r) = a, r.until]] END AS timed
WITH a, b, timed, [l IN timed | l[..2]] AS links
RETURN
  a IS NOT NULL AS a_found,
  b IS NOT NULL AS b_found,
  b.dm_policy AS b_dm_policy,
  ['FOLLOWS', true] IN links AS a_follows_b,
  ['FOLLOWS', false] IN links AS b_follows_a,
  ['REQUESTED', true] IN links AS a_requested_b,
  ['REQUESTED', false] IN links AS b_requested_a,
  ['BLOCKS', true] IN links AS a_blocks_b,
  head([l IN timed WHERE l[0] = 'BLOCKS' AND l[1] | l[2]]) AS a_blocks_b_until,
  ['BLOCKS', false] IN links AS b_blocks_a
