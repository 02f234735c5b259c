// For each account of $users, in order: its settings and the size of every segment of its
// audience. Followers, following, requests and blocks are degree counts (no edge is read);
// friends are counted by walking the smaller of the account's two follow lists, so a hub with
// few follows stays cheap.
UNWIND $users AS user
OPTIONAL MATCH (u:Account {id: user})
WITH user, u,
  COUNT { (u)-[:FOLLOWS]->() } AS following,
  COUNT { (u)<-[:FOLLOWS]-() } AS followers,
  COUNT { (u)<-[:REQUESTED]-() } AS requests_in,
  COUNT { (u)-[:REQUESTED]->() } AS requests_out,
  COUNT { (u)-[r:BLOCKS]->() WHERE {{active(rel=r)}} } AS blocked
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
RETURN user, u {.*} AS account, followers, following, friends,
  followers - friends AS followers_only, following - friends AS following_only,
  requests_in, requests_out, blocked
