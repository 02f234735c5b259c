// Top friends of $user with id > $after, by id: friends whose interaction points with $user
// between $since and $now reach $min_points (depth = friendship bonus + points).
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH ()-[r:FOLLOWS]->(f)
  WHERE u IS NOT NULL AND r.src = $user AND r.dst > $after AND EXISTS { (f)-[:FOLLOWS]->(u) }
  CALL (u, f) {
    MATCH ()-[i:INTERACTED]->()
    WHERE i.src IN [u.id, f.id] AND i.dst IN [u.id, f.id] AND i.src <> i.dst AND i.at >= $since AND i.at <= $now
    RETURN coalesce(sum($weights[i.kind]), 0) AS points
  }
  WITH r, points WHERE points >= $min_points
  WITH r ORDER BY r.src, r.dst LIMIT $limit
  RETURN collect(r.dst) AS ids
}
RETURN u IS NOT NULL AS found, ids
