// Followers of $user that $user does not follow back, with id > $after, by id.
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH (f)-[r:FOLLOWS]->()
  WHERE u IS NOT NULL AND r.dst = $user AND r.src > $after AND NOT EXISTS { (u)-[:FOLLOWS]->(f) }
  WITH r ORDER BY r.dst, r.src LIMIT $limit
  RETURN collect(r.src) AS ids
}
RETURN u IS NOT NULL AS found, ids
