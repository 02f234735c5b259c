// Follow-back suggestions: followers of $user that $user does not follow back (and has not
// blocked), ranked by the friends they share with $user, then id. Only the $window most recent
// such followers are ranked, so a hub with a huge audience stays cheap.
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH (w)-[r:FOLLOWS]->(u)
  WHERE NOT EXISTS { (u)-[:FOLLOWS]->(w) }
  WITH w ORDER BY r.since DESC LIMIT $window
  OPTIONAL CALL (u, w) {
    MATCH (u)-[:FOLLOWS]->(m)-[:FOLLOWS]->(u)
    WHERE (w)-[:FOLLOWS]->(m) AND (m)-[:FOLLOWS]->(w)
    WITH m ORDER BY m.id
    RETURN count(m) AS mutual, collect(m.id) AS via
  }
  WITH w, mutual, via
  ORDER BY mutual DESC, w.id ASC
  LIMIT $limit
  RETURN collect({id: w.id, mutual_friends: mutual, via: via[..$via]}) AS rows
}
RETURN u IS NOT NULL AS found, rows
