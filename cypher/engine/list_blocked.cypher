// Accounts $user blocks (active blocks: engine/rules/expiry.py), by id after $after.
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH ()-[r:BLOCKS]->()
  WHERE u IS NOT NULL AND r.src = $user AND r.dst > $after AND {{active(rel=r)}}
  WITH r ORDER BY r.src, r.dst LIMIT $limit
  RETURN collect(r.dst) AS ids
}
RETURN u IS NOT NULL AS found, ids
