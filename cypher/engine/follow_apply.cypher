// follow($a, $b) in one statement: take the locks of both accounts ($ids: the two, sorted, as
// every writer locks), read the pair under them (one expand: follows, requests and active blocks
// either way), decide by the follow_admission fragment (the truth table of
// engine/rules/admission.py), write the follow (consuming a pending request) or the request it
// says, and append the change set $changes[outcome] that the engine built for that outcome
// (none when nothing is written). Returns the state read and the outcome; the engine decides
// the same state again in Python and rolls back on any difference. An account deleted by a
// transaction that held its lock first is left out (a_found / b_found false, nothing written).
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
    ELSE [(a)-[r:FOLLOWS|REQUESTED|BLOCKS]-(b) WHERE {{active(rel=r)}} | [type(r), startNode(r) = a]] END AS links
WITH a, b, coalesce(b.private, false) AS b_private,
  ['FOLLOWS', true] IN links AS a_follows_b,
  ['FOLLOWS', false] IN links AS b_follows_a,
  ['REQUESTED', true] IN links AS a_requested_b,
  ['BLOCKS', true] IN links AS a_blocks_b,
  ['BLOCKS', false] IN links AS b_blocks_a
WITH *,
  CASE WHEN a IS NULL OR b IS NULL THEN null
    ELSE {{follow_admission(b_private=b_private, a_follows_b=a_follows_b, b_follows_a=b_follows_a, a_requested_b=a_requested_b, a_blocks_b=a_blocks_b, b_blocks_a=b_blocks_a)}} END AS d
CALL (a, b, d) {
  WITH * WHERE d.write = 'follow'
  OPTIONAL MATCH (a)-[q:REQUESTED]->(b)
  DELETE q
  CREATE (a)-[:FOLLOWS {src: a.id, dst: b.id, since: datetime()}]->(b)
}
CALL (a, b, d) {
  WITH * WHERE d.write = 'request'
  CREATE (a)-[:REQUESTED {src: a.id, dst: b.id, at: datetime()}]->(b)
}
CALL (d) {
  WITH $changes[d.outcome] AS c
    WHERE d.write IS NOT NULL AND c IS NOT NULL
  CREATE (:OutboxPending {types: c.types, actors: c.actors, subjects: c.subjects, posts: c.posts, details: c.details, at: datetime.transaction(), t: datetime.realtime()})
}
RETURN a IS NOT NULL AS a_found, b IS NOT NULL AS b_found, b_private, a_follows_b, b_follows_a, a_requested_b,
  a_blocks_b, b_blocks_a, d.outcome AS outcome
