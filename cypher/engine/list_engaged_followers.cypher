// Engaged followers of $user with id > $after, by id: followers who liked, commented on, duetted
// or stitched one of $user's posts between $since and $now, and are not top friends.
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH (x:Account)-[i:INTERACTED]->(:Post)
  WHERE u IS NOT NULL AND i.dst = $user AND i.at >= $since AND i.at <= $now AND i.src > $after
  WITH DISTINCT u, x
  WHERE EXISTS { (x)-[:FOLLOWS]->(u) }
  CALL (u, x) {
    MATCH ()-[j:INTERACTED]->()
    WHERE j.src IN [u.id, x.id] AND j.dst IN [u.id, x.id] AND j.src <> j.dst AND j.at >= $since AND j.at <= $now
    RETURN coalesce(sum($weights[j.kind]), 0) AS points
  }
  WITH x WHERE NOT (EXISTS { (u)-[:FOLLOWS]->(x) } AND points >= $min_points)
  WITH x ORDER BY x.id LIMIT $limit
  RETURN collect(x.id) AS ids
}
RETURN u IS NOT NULL AS found, ids
