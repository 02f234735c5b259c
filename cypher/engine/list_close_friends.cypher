// The close-friends list $user curates: members with id > $after, by id, and the list's size. A
// block deletes the membership both ways; a member actively blocked either way
// (engine/rules/expiry.py) is left out all the same (when in doubt, deny), so the list is exactly
// who a close_friends post of $user is for.
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH ()-[r:CLOSE_FRIEND]->(m)
  WHERE u IS NOT NULL AND r.src = $user AND r.dst > $after AND NOT {{blocked_either(a=u, b=m)}}
  WITH r ORDER BY r.src, r.dst LIMIT $limit
  RETURN collect(r.dst) AS ids
}
RETURN u IS NOT NULL AS found, ids, COUNT { (u)-[:CLOSE_FRIEND]->(m) WHERE NOT {{blocked_either(a=u, b=m)}} } AS total
