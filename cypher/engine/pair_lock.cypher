// The first statement of every write on a pair: take the write locks of the accounts $ids (a and
// b, sorted by the caller so that concurrent writers lock in the same order), then read, under
// those locks, both accounts as they now are and every relationship between them (one expand:
// each follow, request and active block, either way; a_blocks_b_until says when a's block of b
// ends). An account deleted by a transaction that held its lock first has no properties once the
// lock is ours: it is left out (the caller answers NotFound).
UNWIND $ids AS id
MATCH (x:Account {id: id})
SET x._lock = true
REMOVE x._lock
WITH x, id
  WHERE x.id = id
WITH collect(x) AS locked
WITH head([n IN locked WHERE n.id = $a]) AS a, head([n IN locked WHERE n.id = $b]) AS b
WITH a, b,
  CASE WHEN a IS NULL OR b IS NULL THEN []
    ELSE [(a)-[r:FOLLOWS|REQUESTED|BLOCKS]-(b) WHERE {{active(rel=r)}} | [type(r), startNode(r) = a, r.until]] END AS timed
WITH a, b, timed, [l IN timed | l[..2]] AS links
RETURN
  a {.*, created_at: null} AS a,
  b {.*, created_at: null} AS b,
  ['FOLLOWS', true] IN links AS a_follows_b,
  ['FOLLOWS', false] IN links AS b_follows_a,
  ['REQUESTED', true] IN links AS a_requested_b,
  ['REQUESTED', false] IN links AS b_requested_a,
  ['BLOCKS', true] IN links AS a_blocks_b,
  head([l IN timed WHERE l[0] = 'BLOCKS' AND l[1] | l[2]]) AS a_blocks_b_until,
  ['BLOCKS', false] IN links AS b_blocks_a
