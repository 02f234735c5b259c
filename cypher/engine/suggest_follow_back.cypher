// Follow-back suggestions: followers of $user that $user does not follow back, ranked by
// relationship depth (interaction points between $since and $now, capped at $cap), then by the
// friends they share with $user, then id. Only the $window most recent such followers are
// ranked, so a hub with a huge audience stays cheap. A follower $user actively mutes is left
// out; a mutual friend m counts only when $user may see both follows between m and the
// follower (reveals_follow: engine/rules/lists.py).
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH (w)-[r:FOLLOWS]->(u)
  WHERE NOT EXISTS { (u)-[:FOLLOWS]->(w) } AND NOT {{mutes(a=u, b=w)}}
  WITH w ORDER BY r.since DESC LIMIT $window
  CALL (u, w) {
    MATCH ()-[i:INTERACTED]->()
    WHERE i.src IN [u.id, w.id] AND i.dst IN [u.id, w.id] AND i.src <> i.dst AND i.at >= $since AND i.at <= $now
    RETURN coalesce(sum($weights[i.kind]), 0) AS points
  }
  CALL (u, w) {
    MATCH (u)-[:FOLLOWS]->(m)-[:FOLLOWS]->(u)
    WHERE (w)-[:FOLLOWS]->(m) AND (m)-[:FOLLOWS]->(w)
      AND {{reveals_follow(viewer=u, src=w, dst=m)}} AND {{reveals_follow(viewer=u, src=m, dst=w)}}
    WITH m ORDER BY m.id
    RETURN count(m) AS mutual, collect(m.id) AS via
  }
  WITH w, mutual, via, CASE WHEN points > $cap THEN $cap ELSE points END AS depth
  ORDER BY depth DESC, mutual DESC, w.id ASC
  LIMIT $limit
  RETURN collect({id: w.id, mutual_friends: mutual, via: via[..$via], depth: depth}) AS rows
}
RETURN u IS NOT NULL AS found, rows
