// name: friends_only_reach
// description: Reach of friends-only posts: how many accounts may see each one (the author's friends, as can_view decides) and how many of them interacted with it.
// param author: id = null -- only this account's posts (null: every account)
// param limit: int = 50 -- how many posts, widest reach first
// chart: bar post audience
//
// Only current friends count as engaged: anyone else can no longer see the post.
MATCH (p:Post)
WHERE p.visibility = 'friends' AND ($author IS NULL OR p.author = $author)
MATCH (a:Account {id: p.author})
WITH p, a, COUNT { (a)-[:FOLLOWS]->(f) WHERE (f)-[:FOLLOWS]->(a) } AS audience
CALL (p, a) {
  OPTIONAL MATCH (x:Account)-[:INTERACTED]->(p)
  WHERE x <> a AND EXISTS { (x)-[:FOLLOWS]->(a) } AND EXISTS { (a)-[:FOLLOWS]->(x) }
  RETURN count(DISTINCT x) AS engaged
}
RETURN p.id AS post, p.author AS author, p.created_at AS created_at, audience, engaged,
  CASE WHEN audience > 0 THEN round(toFloat(engaged) / audience, 4) END AS engagement_rate
ORDER BY audience DESC, post
LIMIT $limit
