// Accounts $user follows with id > $after, by id: a seek on the follows_src_dst index.
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH ()-[r:FOLLOWS]->()
  WHERE u IS NOT NULL AND r.src = $user AND r.dst > $after
  WITH r ORDER BY r.src, r.dst LIMIT $limit
  RETURN collect(r.dst) AS ids
}
RETURN u IS NOT NULL AS found, ids
