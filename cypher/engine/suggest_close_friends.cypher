// "Add to close friends?" suggestions: the top friends of $user (friends whose interaction points
// with $user between $since and $now reach $min_points, as list_top_friends) who are not on
// $user's close-friends list, ranked by relationship depth, then by the friends they share with
// $user, then id. Only the $window most recent friendships are ranked, so a hub stays cheap. A
// friend $user actively mutes is left out (engine/rules/expiry.py); a mutual friend m counts only
// when $user may see both follows between m and the friend (reveals_follow: engine/rules/lists.py).
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH (u)-[r:FOLLOWS]->(w)
  WHERE EXISTS { (w)-[:FOLLOWS]->(u) } AND NOT EXISTS { (u)-[:CLOSE_FRIEND]->(w) }
    AND NOT {{mutes(a=u, b=w)}}
  WITH w ORDER BY r.since DESC LIMIT $window
  CALL (u, w) {
    MATCH ()-[i:INTERACTED]->()
    WHERE i.src IN [u.id, w.id] AND i.dst IN [u.id, w.id] AND i.src <> i.dst AND i.at >= $since AND i.at <= $now
    RETURN coalesce(sum($weights[i.kind]), 0) AS points
  }
  WITH u, w, points WHERE points >= $min_points
  CALL (u, w) {
    MATCH (u)-[:FOLLOWS]->(m)-[:FOLLOWS]->(u)
    WHERE (w)-[:FOLLOWS]->(m) AND (m)-[:FOLLOWS]->(w)
      AND {{reveals_follow(viewer=u, src=w, dst=m)}} AND {{reveals_follow(viewer=u, src=m, dst=w)}}
    WITH m ORDER BY m.id
    RETURN count(m) AS mutual, collect(m.id) AS via
  }
  WITH w, mutual, via, $friend_bonus + CASE WHEN points > $cap THEN $cap ELSE points END AS depth
  ORDER BY depth DESC, mutual DESC, w.id ASC
  LIMIT $limit
  RETURN collect({id: w.id, mutual_friends: mutual, via: via[..$via], depth: depth}) AS rows
}
RETURN u IS NOT NULL AS found, rows
