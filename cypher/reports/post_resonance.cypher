// name: post_resonance
// description: Which content resonates with whom: for each of an account's latest posts, the interactions from its friends, its followers (not followed back) and others.
// param user: id -- the author
// param limit: int = 50 -- how many of the latest posts
//
// Segments are the actors' relationship to the author now; the author's own interactions and
// those of accounts blocked either way are left out.
MATCH (u:Account {id: $user})
MATCH (p:Post)
WHERE p.author = $user
WITH u, p ORDER BY p.created_at DESC, p.id DESC LIMIT toInteger($limit)
CALL (u, p) {
  OPTIONAL MATCH (x:Account)-[i:INTERACTED]->(p:Post)
  WHERE x <> u AND NOT {{blocked_either(a=x, b=u)}}
  WITH i, EXISTS { (x)-[:FOLLOWS]->(u) } AS follower, EXISTS { (u)-[:FOLLOWS]->(x) } AS followed
  RETURN
    count(CASE WHEN follower AND followed THEN i END) AS from_friends,
    count(CASE WHEN follower AND NOT followed THEN i END) AS from_followers,
    count(CASE WHEN NOT follower THEN i END) AS from_others
}
RETURN p.id AS post, p.visibility AS visibility, p.created_at AS created_at, from_friends, from_followers, from_others,
  CASE
    WHEN from_friends + from_followers + from_others = 0 THEN null
    WHEN from_friends >= from_followers AND from_friends >= from_others THEN 'friends'
    WHEN from_followers >= from_others THEN 'followers'
    ELSE 'others'
  END AS resonates_with
ORDER BY created_at DESC, post DESC
