// name: dormant_followers
// description: Followers of an account who have done nothing public (no public post, no like, comment, duet or stitch on a public post) in a while, never-active and longest-dormant first.
// param user: id -- the account
// param days: int = 90 -- dormant means no public activity in the last this many days
// param limit: int = 100 -- how many followers
//
// Public means what a logged-out viewer may see (the can_view fragment with no relation to the
// author): a public post of a public account. Activity on anything else (only_me, friends or
// followers posts, posts of private accounts) is never read, its timestamps included; messages
// are never read at all.
MATCH (f:Account)-[r:FOLLOWS]->(u:Account {id: $user})
CALL (f) {
  MATCH (f)-[i:INTERACTED]->(p:Post)
  MATCH (a:Account {id: p.author})
  WITH i, p, a, false AS follows, false AS friends, false AS blocked, false AS is_author
  WHERE {{can_view(post=p, author=a, viewer=null, follows=follows, friends=friends, blocked=blocked, is_author=is_author)}}
  RETURN max(i.at) AS last_interaction
}
CALL (f) {
  MATCH (f)-[:POSTED]->(p:Post)
  WITH p, f AS a, false AS follows, false AS friends, false AS blocked, false AS is_author
  WHERE {{can_view(post=p, author=a, viewer=null, follows=follows, friends=friends, blocked=blocked, is_author=is_author)}}
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
