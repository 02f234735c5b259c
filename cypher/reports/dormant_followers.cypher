// name: dormant_followers
// description: Followers of an account who have done nothing public (no post, like, comment, duet or stitch) in a while, never-active and longest-dormant first.
// param user: id -- the account
// param days: int = 90 -- dormant means no activity in the last this many days
// param limit: int = 100 -- how many followers
//
// Messages are private: they never count as activity here.
MATCH (f:Account)-[r:FOLLOWS]->(u:Account {id: $user})
CALL (f) {
  OPTIONAL MATCH (f)-[i:INTERACTED]->(:Post)
  RETURN max(i.at) AS last_interaction
}
CALL (f) {
  OPTIONAL MATCH (f)-[:POSTED]->(p:Post)
  RETURN max(p.created_at) AS last_post
}
WITH f, r,
  CASE
    WHEN last_interaction IS NULL THEN last_post
    WHEN last_post IS NULL OR last_interaction > last_post THEN last_interaction
    ELSE last_post
  END AS last_active
WHERE last_active IS NULL OR last_active < datetime() - duration({days: $days})
RETURN f.id AS follower, last_active, r.since AS following_since
ORDER BY last_active IS NOT NULL, last_active, follower
LIMIT toInteger($limit)
