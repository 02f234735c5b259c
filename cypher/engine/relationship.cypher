// How $a relates to each account of $others, at once: follows, requests and blocks both ways,
// the other's message policy, mutual friends, and the interactions between them (by kind and
// direction, between $since and $now). Mutual friends are counted from the account that
// follows fewer accounts, checking each candidate against the other edge by edge. One expand
// between the two nodes reads every follow, request, active block and active mute of the pair,
// either way, with when each block and a's mute of b ends (engine/rules/expiry.py; b's mute of
// a is never read: no one is told they are muted).
OPTIONAL MATCH (a:Account {id: $a})
UNWIND $others AS other
OPTIONAL MATCH (b:Account {id: other})
CALL (a, b) {
  WITH a, b WHERE a IS NOT NULL AND b IS NOT NULL
    AND COUNT { (a)-[:FOLLOWS]->() } <= COUNT { (b)-[:FOLLOWS]->() }
  RETURN COUNT { (a)-[:FOLLOWS]->(m)-[:FOLLOWS]->(a) WHERE (b)-[:FOLLOWS]->(m) AND (m)-[:FOLLOWS]->(b) } AS mutual
  UNION
  WITH a, b WHERE a IS NOT NULL AND b IS NOT NULL
    AND COUNT { (a)-[:FOLLOWS]->() } > COUNT { (b)-[:FOLLOWS]->() }
  RETURN COUNT { (b)-[:FOLLOWS]->(m)-[:FOLLOWS]->(b) WHERE (a)-[:FOLLOWS]->(m) AND (m)-[:FOLLOWS]->(a) } AS mutual
  UNION
  WITH a, b WHERE a IS NULL OR b IS NULL
  RETURN 0 AS mutual
}
CALL (a, b) {
  MATCH ()-[i:INTERACTED]->()
  WHERE i.src IN [a.id, b.id] AND i.dst IN [a.id, b.id] AND i.src <> i.dst AND i.at >= $since AND i.at <= $now
  WITH i.src = a.id AS outgoing, i.kind AS kind, count(*) AS n
  RETURN collect([outgoing, kind, n]) AS interactions
}
WITH a, b, other, mutual, interactions,
  CASE WHEN a IS NULL OR b IS NULL THEN []
    ELSE [(a)-[r:FOLLOWS|REQUESTED|BLOCKS|MUTES]-(b) WHERE {{active(rel=r)}} AND NOT (type(r) = 'MUTES' AND startNode(r) = b)
      | [type(r), startNode(r) = a, r.until]] END AS timed
WITH a, b, other, mutual, interactions, timed, [l IN timed | l[..2]] AS links
RETURN
  other AS b_id,
  a IS NOT NULL AS a_found,
  b IS NOT NULL AS b_found,
  b.dm_policy AS b_dm_policy,
  ['FOLLOWS', true] IN links AS following,
  ['FOLLOWS', false] IN links AS followed_by,
  ['REQUESTED', true] IN links AS requested,
  ['REQUESTED', false] IN links AS requested_by,
  ['BLOCKS', true] IN links AS blocking,
  ['BLOCKS', false] IN links AS blocked_by,
  head([l IN timed WHERE l[0] = 'BLOCKS' AND l[1] | l[2]]) AS blocking_until,
  head([l IN timed WHERE l[0] = 'BLOCKS' AND NOT l[1] | l[2]]) AS blocked_by_until,
  ['MUTES', true] IN links AS muting,
  head([l IN timed WHERE l[0] = 'MUTES' AND l[1] | l[2]]) AS muting_until,
  mutual,
  interactions
