// The size of every segment of $user's audience, in one statement (one round trip): followers,
// following, requests and blocks are degree counts; friends are counted over the smaller of the
// two follow lists (as account_counts); top friends, engaged and passive followers partition
// the followers by interactions between $since and $now (see list_top_friends and list_engaged_followers);
// close_friends is the size of the owner-curated list (CLOSE_FRIEND relationships).
OPTIONAL MATCH (u:Account {id: $user})
WITH u,
  COUNT { (u)-[:FOLLOWS]->() } AS following,
  COUNT { (u)<-[:FOLLOWS]-() } AS followers,
  COUNT { (u)<-[:REQUESTED]-() } AS requests_in,
  COUNT { (u)-[:REQUESTED]->() } AS requests_out,
  COUNT { (u)-[r:BLOCKS]->() WHERE {{active(rel=r)}} } AS blocked,
  COUNT { (u)-[:CLOSE_FRIEND]->(m) WHERE NOT {{blocked_either(a=u, b=m)}} } AS close_friends
CALL (u, following, followers) {
  WITH u WHERE u IS NOT NULL AND following <= followers
  RETURN COUNT { (u)-[:FOLLOWS]->(f) WHERE (f)-[:FOLLOWS]->(u) } AS friends
  UNION
  WITH u WHERE u IS NOT NULL AND following > followers
  RETURN COUNT { (u)<-[:FOLLOWS]-(f) WHERE (u)-[:FOLLOWS]->(f) } AS friends
  UNION
  WITH u WHERE u IS NULL
  RETURN 0 AS friends
}
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
RETURN u IS NOT NULL AS found, followers, following, friends,
  followers - friends AS followers_only, following - friends AS following_only,
  requests_in, requests_out, blocked,
  size(close) AS top_friends, engaged, followers - size(close) - engaged AS passive_followers, close_friends
