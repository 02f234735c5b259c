// Bulk import of follows, one statement per batch (the accounts exist and are locked by
// bulk/lock_accounts). For each pair ($a[i], $b[i]) it reads, by one expand between the two
// accounts, whether $a[i] follows or has asked to follow $b[i], whether a block exists either
// way, and whether $b[i] follows $a[i] (the follow then makes friends: its event says so). An
// expand from nodes found by their unique index is planned the same whatever the statistics say;
// seeks of the (src, dst) relationship indexes were planned as full index scans when the plan was
// made while the index was empty or its sample stale (the first batches of an import into a new
// database: 20 s per batch of 1,000; docs/decisions.md). The planner's Eager step reads every row
// before anything is written, so each row sees the state before the batch. Then it creates the
// follow where follow admission says so (the admits_imported_follow fragment: the truth table of
// engine/rules/admission.py), consuming a pending request of the pair; since: $at[i] (ISO-8601
// text; null: $now). Only the pairs with something between them are returned: the caller decides
// every row with the same function (engine/bulk/load.py) and checks that the two agree.
UNWIND range(0, size($a) - 1) AS i
WITH i, $a[i] AS x, $b[i] AS y
MATCH (a:Account {id: x}), (b:Account {id: y})
WITH i, x, y, a, b, [(a)-[r:FOLLOWS|REQUESTED|BLOCKS]-(b) WHERE {{active(rel=r)}} | [type(r), startNode(r) = a]] AS links
WITH i, x, y, a, b,
  ['FOLLOWS', true] IN links AS follows,
  ['REQUESTED', true] IN links AS requested,
  ['BLOCKS', true] IN links AS blocks,
  ['BLOCKS', false] IN links AS blocked_by,
  ['FOLLOWS', false] IN links AS followed_by
CALL (i, x, y, a, b, follows, requested, blocks, blocked_by) {
  WITH * WHERE {{admits_imported_follow(follows=follows, requested=requested, blocks=blocks, blocked_by=blocked_by)}}
  CALL (a, b, requested) {
    WITH * WHERE requested
    MATCH (a)-[q:REQUESTED]->(b)
    DELETE q
  }
  CREATE (a)-[:FOLLOWS {src: x, dst: y, since: coalesce(datetime($at[i]), $now)}]->(b)
}
WITH * WHERE follows OR requested OR blocks OR blocked_by OR followed_by
RETURN i, follows, requested, blocks, blocked_by, followed_by
