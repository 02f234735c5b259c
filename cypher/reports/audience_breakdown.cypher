// name: audience_breakdown
// description: Every segment of an account's audience with its size and its share of the followers (or, for following-only, of the accounts it follows); the counts of `mutuals segments`, except that top friends count only interactions with posts (reports never read direct messages).
// param user: id -- the account
// param days: int = 90 -- the engagement window, in days (docs/ranking.md)
// param weights: map = {"like": 1, "comment": 2, "duet": 4, "stitch": 4} -- interaction points by kind of post interaction (docs/ranking.md)
// param top_points: int = 10 -- interaction points in the window that make a friend a top friend
// chart: bar segment accounts
//
// Top friends: friends with at least top_points interaction points with each other's posts,
// both directions, in the window (messages are never read, whatever the weights say). Engaged followers: other followers who interacted with one of the account's posts in
// the window. Passive followers: the rest of the followers.
MATCH (u:Account {id: $user})
WITH u, datetime() AS now
WITH u, now, now - duration({days: $days}) AS since
WITH u, now, since,
  COUNT { (u)<-[:FOLLOWS]-() } AS followers,
  COUNT { (u)-[:FOLLOWS]->() } AS following,
  COUNT { (u)<-[:REQUESTED]-() } AS requests_in,
  COUNT { (u)-[:REQUESTED]->() } AS requests_out,
  COUNT { (u)-[r:BLOCKS]->() WHERE {{active(rel=r)}} } AS blocked,
  COUNT { (u)-[:CLOSE_FRIEND]->(m) WHERE NOT {{blocked_either(a=u, b=m)}} } AS close_friends,
  COUNT { (u)-[:FOLLOWS]->(f) WHERE (f)-[:FOLLOWS]->(u) } AS friends
CALL (u, now, since) {
  MATCH (u)-[:FOLLOWS]->(f)-[:FOLLOWS]->(u)
  CALL (u, f, now, since) {
    MATCH (x:Account)-[i:INTERACTED]->(:Post)
    WHERE x IN [u, f] AND i.dst IN [u.id, f.id] AND i.src <> i.dst AND i.at >= since AND i.at <= now
    RETURN coalesce(sum($weights[i.kind]), 0) AS points
  }
  WITH f WHERE points >= $top_points
  RETURN collect(f.id) AS close
}
CALL (u, now, since, close) {
  MATCH (x:Account)-[i:INTERACTED]->(:Post)
  WHERE i.dst = u.id AND i.at >= since AND i.at <= now
  WITH DISTINCT u, x
  WHERE EXISTS { (x)-[:FOLLOWS]->(u) } AND NOT x.id IN close
  RETURN count(x) AS engaged
}
UNWIND [
  {segment: 'friends', accounts: friends, base: 'followers', of: followers},
  {segment: 'followers_only', accounts: followers - friends, base: 'followers', of: followers},
  {segment: 'following_only', accounts: following - friends, base: 'following', of: following},
  {segment: 'requests_in', accounts: requests_in, base: null, of: 0},
  {segment: 'requests_out', accounts: requests_out, base: null, of: 0},
  {segment: 'blocked', accounts: blocked, base: null, of: 0},
  {segment: 'top_friends', accounts: size(close), base: 'followers', of: followers},
  {segment: 'engaged_followers', accounts: engaged, base: 'followers', of: followers},
  {segment: 'passive_followers', accounts: followers - size(close) - engaged, base: 'followers', of: followers},
  {segment: 'close_friends', accounts: close_friends, base: null, of: 0}
] AS row
RETURN row.segment AS segment, row.accounts AS accounts,
  CASE WHEN row.of > 0 THEN round(toFloat(row.accounts) / row.of, 4) END AS share,
  row.base AS share_of
