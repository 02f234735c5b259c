// Accounts $user follows that do not follow back, with id > $after, by id.
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH ()-[r:FOLLOWS]->(f)
  WHERE u IS NOT NULL AND r.src = $user AND r.dst > $after AND NOT EXISTS { (f)-[:FOLLOWS]->(u) }
  WITH r ORDER BY r.src, r.dst LIMIT $limit
  RETURN collect(r.dst) AS ids
}
RETURN u IS NOT NULL AS found, ids
