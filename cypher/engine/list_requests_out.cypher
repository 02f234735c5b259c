// Pending follow requests $user sent, by target id after $after.
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH ()-[r:REQUESTED]->()
  WHERE u IS NOT NULL AND r.src = $user AND r.dst > $after
  WITH r ORDER BY r.src, r.dst LIMIT $limit
  RETURN collect(r.dst) AS ids
}
RETURN u IS NOT NULL AS found, ids
