// Pending follow requests to $user, by requester id after $after.
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH ()-[r:REQUESTED]->()
  WHERE u IS NOT NULL AND r.dst = $user AND r.src > $after
  WITH r ORDER BY r.dst, r.src LIMIT $limit
  RETURN collect(r.src) AS ids
}
RETURN u IS NOT NULL AS found, ids
