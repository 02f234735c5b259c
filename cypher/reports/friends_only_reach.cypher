// name: friends_only_reach
// description: Reach of friends-only posts: how many accounts may see each one (the author's friends, as can_view decides) and how many of them interacted with it.
// param author: id = null -- only this account's posts (null: every account)
// param limit: int = 50 -- how many posts, widest reach first
// chart: bar post audience
//
// Only accounts that can view the post now count as engaged (the can_view fragment of
// engine/rules/visibility.py: for a friends-only post, the current friends).
MATCH (p:Post)
WHERE p.visibility = 'friends' AND ($author IS NULL OR p.author = $author)
MATCH (a:Account {id: p.author})
CALL (p, a) {
  MATCH (x:Account)-[:FOLLOWS]->(a)
  WITH p, a, x, true AS follows, {{blocked_either(a=x, b=a)}} AS blocked, false AS is_author
  WITH p, a, x, follows, blocked, is_author, EXISTS { (a)-[:FOLLOWS]->(x) } AS friends
  WHERE {{can_view(post=p, author=a, viewer=x, follows=follows, friends=friends, blocked=blocked, is_author=is_author)}}
  RETURN count(x) AS audience
}
CALL (p, a) {
  MATCH (x:Account)-[:INTERACTED]->(p:Post)
  WHERE x <> a
  WITH DISTINCT p, a, x
  WITH p, a, x, EXISTS { (x)-[:FOLLOWS]->(a) } AS follows, {{blocked_either(a=x, b=a)}} AS blocked, false AS is_author
  WITH p, a, x, follows, blocked, is_author, follows AND EXISTS { (a)-[:FOLLOWS]->(x) } AS friends
  WHERE {{can_view(post=p, author=a, viewer=x, follows=follows, friends=friends, blocked=blocked, is_author=is_author)}}
  RETURN count(x) AS engaged
}
RETURN p.id AS post, p.author AS author, p.created_at AS created_at, audience, engaged,
  CASE WHEN audience > 0 THEN round(toFloat(engaged) / audience, 4) END AS engagement_rate
ORDER BY audience DESC, post
LIMIT toInteger($limit)
