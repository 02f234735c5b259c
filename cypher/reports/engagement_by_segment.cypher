// name: engagement_by_segment
// description: Who engages with an account's posts: likes, comments, duets and stitches from its friends, its followers (not followed back) and others, with each segment's share of the interactions.
// param user: id -- the author
// param days: int = 90 -- only interactions in the last this many days
// chart: donut segment share
//
// Segments are the actors' relationship to the author now. The author's own interactions and
// those of accounts blocked either way are left out; messages are private and never counted.
WITH datetime() - duration({days: $days}) AS since
OPTIONAL MATCH (u:Account {id: $user})
CALL (u, since) {
  MATCH (x:Account)-[i:INTERACTED]->(:Post)
  WHERE u IS NOT NULL AND i.dst = u.id AND i.at >= since AND x <> u AND NOT {{blocked_either(a=x, b=u)}}
  WITH i, EXISTS { (x)-[:FOLLOWS]->(u) } AS follower, EXISTS { (u)-[:FOLLOWS]->(x) } AS followed
  RETURN CASE WHEN follower AND followed THEN 'friends' WHEN follower THEN 'followers' ELSE 'others' END AS segment,
    i.kind AS kind, count(*) AS n
}
WITH collect({segment: segment, kind: kind, n: n}) AS counts
WITH counts, reduce(total = 0, c IN counts | total + c.n) AS total
UNWIND ['friends', 'followers', 'others'] AS segment
WITH segment, total, [c IN counts WHERE c.segment = segment] AS mine
WITH segment, total, mine, reduce(n = 0, c IN mine | n + c.n) AS interactions
RETURN segment,
  reduce(n = 0, c IN mine | n + CASE c.kind WHEN 'like' THEN c.n ELSE 0 END) AS likes,
  reduce(n = 0, c IN mine | n + CASE c.kind WHEN 'comment' THEN c.n ELSE 0 END) AS comments,
  reduce(n = 0, c IN mine | n + CASE c.kind WHEN 'duet' THEN c.n ELSE 0 END) AS duets,
  reduce(n = 0, c IN mine | n + CASE c.kind WHEN 'stitch' THEN c.n ELSE 0 END) AS stitches,
  interactions,
  CASE WHEN total > 0 THEN round(toFloat(interactions) / total, 4) ELSE 0.0 END AS share
