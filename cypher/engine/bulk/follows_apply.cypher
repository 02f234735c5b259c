// Bulk import of follows, one statement per batch (the accounts exist and are locked by
// bulk/lock_accounts). For each pair ($a[i], $b[i]) it reads, through the (src, dst) relationship
// indexes, whether $a[i] follows or has asked to follow $b[i], whether a block exists either
// way, and whether $b[i] follows $a[i] (the follow then makes friends: its event says so), five
// index seeks (cheaper than expanding the two nodes); the planner's Eager step
// reads every row before anything is written, so each row sees the state before the batch. Then
// it creates the follow where follow admission says so (the admits_imported_follow fragment: the
// truth table of engine/rules/admission.py), consuming a pending request of the pair; since:
// $at[i] (ISO-8601 text; null: $now). Only the pairs with something between them are returned:
// the caller decides every row with the same function (engine/bulk/load.py) and checks that
// the two agree.
UNWIND range(0, size($a) - 1) AS i
WITH i, $a[i] AS x, $b[i] AS y
WITH i, x, y,
  EXISTS { MATCH ()-[r:FOLLOWS]->() WHERE r.src = x AND r.dst = y } AS follows,
  EXISTS { MATCH ()-[r:REQUESTED]->() WHERE r.src = x AND r.dst = y } AS requested,
  EXISTS { MATCH ()-[r:BLOCKS]->() WHERE r.src = x AND r.dst = y AND {{active(rel=r)}} } AS blocks,
  EXISTS { MATCH ()-[r:BLOCKS]->() WHERE r.src = y AND r.dst = x AND {{active(rel=r)}} } AS blocked_by,
  EXISTS { MATCH ()-[r:FOLLOWS]->() WHERE r.src = y AND r.dst = x } AS followed_by
CALL (i, x, y, follows, requested, blocks, blocked_by) {
  WITH * WHERE {{admits_imported_follow(follows=follows, requested=requested, blocks=blocks, blocked_by=blocked_by)}}
  MATCH (a:Account {id: x}), (b:Account {id: y})
  CALL (a, b, requested) {
    WITH * WHERE requested
    MATCH (a)-[q:REQUESTED]->(b)
    DELETE q
  }
  CREATE (a)-[:FOLLOWS {src: x, dst: y, since: coalesce(datetime($at[i]), $now)}]->(b)
}
WITH * WHERE follows OR requested OR blocks OR blocked_by OR followed_by
RETURN i, follows, requested, blocks, blocked_by, followed_by
