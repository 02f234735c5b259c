// The for-you feed of $viewer (docs/ranking.md): posts from the last $window_start..$now by
// accounts the viewer follows, that the viewer may view (the can_view fragment of
// engine/rules/visibility.py, fed the flags computed once per followed author), scored
//   score = $depth_weight * depth + $recency_max * 0.5 ^ (age in hours / $half_life)
// where depth = friendship bonus + interaction points (capped), so that friendship and depth
// outweigh recency. Ordered by score, then newest, then post id (all descending), strictly
// after the keyset position ($after_score, $after_at, $after_id). An author the viewer actively
// mutes is left out, and only an active block counts (engine/rules/expiry.py; $now is the walk's
// reference time).
MATCH (v:Account {id: $viewer})
CALL (v) {
  MATCH (v)-[:FOLLOWS]->(a:Account)
  WHERE NOT {{mutes(a=v, b=a)}}
  WITH v, a, {{blocked_either(a=v, b=a)}} AS blocked, EXISTS { (a)-[:FOLLOWS]->(v) } AS friends
  CALL (v, a) {
    MATCH ()-[i:INTERACTED]->()
    WHERE i.src IN [v.id, a.id] AND i.dst IN [v.id, a.id] AND i.src <> i.dst AND i.at >= $since AND i.at <= $now
    RETURN coalesce(sum($weights[i.kind]), 0) AS points
  }
  WITH a, blocked, friends,
    CASE WHEN friends THEN $friend_bonus ELSE 0 END + CASE WHEN points > $cap THEN $cap ELSE points END AS depth
  CALL (a, blocked, friends, depth) {
    MATCH (p:Post)
    WHERE p.author = a.id AND p.created_at >= $window_start AND p.created_at <= $now
      AND {{can_view(post=p, author=a, follows=true, friends=friends, blocked=blocked, is_author=false)}}
    WITH p, $depth_weight * depth
      + $recency_max * 0.5 ^ (duration.inSeconds(p.created_at, $now).seconds / 3600.0 / $half_life) AS score
    WHERE score < $after_score
      OR (score = $after_score AND (p.created_at < $after_at OR (p.created_at = $after_at AND p.id < $after_id)))
    WITH p, score ORDER BY score DESC, p.created_at DESC, p.id DESC LIMIT $limit
    RETURN p, score
  }
  WITH p, score, depth ORDER BY score DESC, p.created_at DESC, p.id DESC LIMIT $limit
  RETURN collect(p {.id, .author, .visibility, .created_at, score: score, depth: depth}) AS posts
}
RETURN posts
