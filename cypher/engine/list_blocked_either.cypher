// Accounts with an active block either way with $user (who blocks $user, or whom $user blocks), by id
// after $after: the exceptions to a public post's audience.
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  CALL (u) {
    MATCH ()-[r:BLOCKS]->()
    WHERE u IS NOT NULL AND r.src = $user AND r.dst > $after AND {{active(rel=r)}}
    WITH r ORDER BY r.src, r.dst LIMIT $limit
    RETURN r.dst AS id
    UNION
    MATCH ()-[r:BLOCKS]->()
    WHERE u IS NOT NULL AND r.dst = $user AND r.src > $after AND {{active(rel=r)}}
    WITH r ORDER BY r.dst, r.src LIMIT $limit
    RETURN r.src AS id
  }
  WITH id ORDER BY id LIMIT $limit
  RETURN collect(id) AS ids
}
RETURN u IS NOT NULL AS found, ids
