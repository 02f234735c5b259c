// Passive followers of $user with id > $after, by id: followers that are neither top friends
// nor engaged (no like, comment, duet or stitch on $user's posts between $since and $now).
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH (f)-[r:FOLLOWS]->()
  WHERE u IS NOT NULL AND r.dst = $user AND r.src > $after
    AND NOT EXISTS {
      MATCH ()-[i:INTERACTED]->(:Post)
      WHERE i.src = r.src AND i.dst = $user AND i.at >= $since AND i.at <= $now
    }
  CALL (u, f) {
    MATCH ()-[j:INTERACTED]->()
    WHERE j.src IN [u.id, f.id] AND j.dst IN [u.id, f.id] AND j.src <> j.dst AND j.at >= $since AND j.at <= $now
    RETURN coalesce(sum($weights[j.kind]), 0) AS points
  }
  WITH u, f, r, points WHERE NOT (EXISTS { (u)-[:FOLLOWS]->(f) } AND points >= $min_points)
  WITH r ORDER BY r.dst, r.src LIMIT $limit
  RETURN collect(r.src) AS ids
}
RETURN u IS NOT NULL AS found, ids
