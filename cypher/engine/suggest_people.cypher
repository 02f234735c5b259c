// People $user may know: accounts that are friends with at least one of $user's friends,
// that $user neither follows nor has asked to follow, with no block either way; ranked by the
// number of such mutual friends, then id. Each carries the first $via of those friends by id.
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH (u)-[:FOLLOWS]->(f)-[:FOLLOWS]->(u)
  MATCH (f)-[:FOLLOWS]->(w)-[:FOLLOWS]->(f)
  WHERE w <> u
    AND NOT EXISTS { (u)-[:FOLLOWS|REQUESTED]->(w) }
    AND NOT EXISTS { (u)-[:BLOCKS]-(w) }
  WITH w, f ORDER BY f.id
  WITH w, count(f) AS mutual, collect(f.id) AS via
  ORDER BY mutual DESC, w.id ASC
  LIMIT $limit
  RETURN collect({id: w.id, mutual_friends: mutual, via: via[..$via]}) AS rows
}
RETURN u IS NOT NULL AS found, rows
