// How many of $user's followers are close friends, engaged followers and passive followers
// (a partition of the followers; see list_close_friends / list_engaged_followers).
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  MATCH (u)-[:FOLLOWS]->(f)
  WHERE EXISTS { (f)-[:FOLLOWS]->(u) }
  CALL (u, f) {
    MATCH ()-[i:INTERACTED]->()
    WHERE i.src IN [u.id, f.id] AND i.dst IN [u.id, f.id] AND i.src <> i.dst AND i.at >= $since AND i.at <= $now
    RETURN coalesce(sum($weights[i.kind]), 0) AS points
  }
  WITH f WHERE points >= $min_points
  RETURN collect(f.id) AS close
}
CALL (u, close) {
  MATCH (x:Account)-[i:INTERACTED]->(:Post)
  WHERE i.dst = $user AND i.at >= $since AND i.at <= $now
  WITH DISTINCT u, x
  WHERE EXISTS { (x)-[:FOLLOWS]->(u) } AND NOT x.id IN close
  RETURN count(x) AS engaged
}
RETURN u IS NOT NULL AS found, size(close) AS close_friends, engaged,
  COUNT { (u)<-[:FOLLOWS]-() } - size(close) - engaged AS passive_followers
