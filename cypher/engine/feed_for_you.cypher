// The for-you feed of $viewer (docs/ranking.md): posts from $window_start..$now that the viewer
// may view (the can_view fragment of engine/rules/visibility.py, fed the flags computed once per
// author), from three disjoint sources:
//   following: accounts the viewer follows, scored
//     score = $depth_weight * depth + $recency_max * 0.5 ^ (age in hours / $half_life)
//     where depth = friendship bonus + interaction points (capped);
//   friends_of_friends (discovery): public accounts the viewer does not follow, with no block
//     either way and no active mute (the list `excluded`, read once), that are friends of the
//     viewer's friends, scored
//     $fof_base + $mutual_weight * min(mutual friends, $mutual_cap) + $fof_recency_max * decay;
//   popular (discovery): the newest $discovery_scan posts of the window by other such accounts,
//     those with interactions in the window, scored
//     $popular_weight * min(interactions, $popular_cap) + $popular_recency_max * decay.
// Discovery takes only posts whose visibility is in $discoverable (public), whatever else can_view
// allows. Ordered by score, then newest, then post id (all descending), strictly after the keyset
// position ($after_score, $after_at, $after_id). The sources are disjoint (a discovered author is
// not followed; a popular author is not a friend of friends), so each post has one score. An
// author the viewer actively mutes is left out of every source, and only an active block counts
// (engine/rules/expiry.py; $now is the walk's reference time).
MATCH (v:Account {id: $viewer})
// Who discovery leaves out, read once: the viewer, followed accounts, blocks either way, active mutes.
WITH v, [v.id] + [(v)-[:FOLLOWS]->(x) | x.id] + [(v)-[b:BLOCKS]-(x) WHERE {{active(rel=b)}} | x.id]
  + [(v)-[:MUTES]->(x) WHERE {{mutes(a=v, b=x)}} | x.id] AS excluded
CALL (v, excluded) {
  MATCH (v)-[r:FOLLOWS]->(f:Account)
  WHERE EXISTS { (f)-[:FOLLOWS]->(v) }
  WITH v, excluded, f ORDER BY r.since DESC, f.id LIMIT $discovery_friends
  CALL (v, excluded, f) {
    MATCH (f)-[r2:FOLLOWS]->(a:Account)
    WHERE NOT a.id IN excluded AND NOT coalesce(a.private, false) AND EXISTS { (a)-[:FOLLOWS]->(f) }
    WITH a ORDER BY r2.since DESC, a.id LIMIT $discovery_friends_of_each
    RETURN a
  }
  WITH a, count(f) AS mutual ORDER BY mutual DESC, a.id LIMIT $discovery_authors
  RETURN collect({author: a, mutual: mutual}) AS fof
}
CALL (v, excluded, fof) {
  CALL (v, excluded, fof) {
    MATCH (v)-[:FOLLOWS]->(a:Account)
    WHERE NOT {{mutes(a=v, b=a)}}
    WITH v, a, {{blocked_either(a=v, b=a)}} AS blocked, EXISTS { (a)-[:FOLLOWS]->(v) } AS friends
    CALL (v, a) {
      MATCH ()-[i:INTERACTED]->()
      WHERE i.src IN [v.id, a.id] AND i.dst IN [v.id, a.id] AND i.src <> i.dst AND i.at >= $since AND i.at <= $now
      RETURN coalesce(sum($weights[i.kind]), 0) AS points
    }
    WITH v, a, blocked, friends,
      CASE WHEN friends THEN $friend_bonus ELSE 0 END + CASE WHEN points > $cap THEN $cap ELSE points END AS depth
    CALL (v, a, blocked, friends, depth) {
      MATCH (p:Post)
      WHERE p.author = a.id AND p.created_at >= $window_start AND p.created_at <= $now
        AND {{can_view(post=p, author=a, viewer=v, follows=true, friends=friends, blocked=blocked, is_author=false)}}
      WITH p, $depth_weight * depth
        + $recency_max * 0.5 ^ (duration.inSeconds(p.created_at, $now).seconds / 3600.0 / $half_life) AS score
      WHERE score < $after_score
        OR (score = $after_score AND (p.created_at < $after_at OR (p.created_at = $after_at AND p.id < $after_id)))
      WITH p, score ORDER BY score DESC, p.created_at DESC, p.id DESC LIMIT $limit
      RETURN p, score
    }
    RETURN p, score, depth, 'following' AS source
  UNION ALL
    UNWIND fof AS candidate
    WITH v, candidate.author AS a, candidate.mutual AS mutual
    WITH v, a, mutual, {{blocked_either(a=v, b=a)}} AS blocked
    CALL (v, a, mutual, blocked) {
      MATCH (p:Post)
      WHERE p.author = a.id AND p.created_at >= $window_start AND p.created_at <= $now
        AND p.visibility IN $discoverable
        AND {{can_view(post=p, author=a, viewer=v, follows=false, friends=false, blocked=blocked, is_author=false)}}
      WITH p, $fof_base + $mutual_weight * CASE WHEN mutual > $mutual_cap THEN $mutual_cap ELSE mutual END
        + $fof_recency_max * 0.5 ^ (duration.inSeconds(p.created_at, $now).seconds / 3600.0 / $half_life) AS score
      WHERE score < $after_score
        OR (score = $after_score AND (p.created_at < $after_at OR (p.created_at = $after_at AND p.id < $after_id)))
      WITH p, score ORDER BY score DESC, p.created_at DESC, p.id DESC LIMIT $limit
      RETURN p, score
    }
    RETURN p, score, null AS depth, 'friends_of_friends' AS source
  UNION ALL
    WITH v, excluded + [c IN fof | c.author.id] AS skip
    MATCH (p:Post)
    WHERE p.created_at >= $window_start AND p.created_at <= $now AND p.visibility IN $discoverable
      AND NOT p.author IN skip
    WITH v, p ORDER BY p.created_at DESC, p.id DESC LIMIT $discovery_scan
    MATCH (a:Account {id: p.author})
    WITH v, a, p, {{blocked_either(a=v, b=a)}} AS blocked
    WHERE {{can_view(post=p, author=a, viewer=v, follows=false, friends=false, blocked=blocked, is_author=false)}}
    WITH p, COUNT { ()-[i:INTERACTED]->(p) WHERE i.at >= $window_start AND i.at <= $now } AS interactions
    WHERE interactions > 0
    WITH p, $popular_weight * CASE WHEN interactions > $popular_cap THEN $popular_cap ELSE interactions END
      + $popular_recency_max * 0.5 ^ (duration.inSeconds(p.created_at, $now).seconds / 3600.0 / $half_life) AS score
    WHERE score < $after_score
      OR (score = $after_score AND (p.created_at < $after_at OR (p.created_at = $after_at AND p.id < $after_id)))
    WITH p, score ORDER BY score DESC, p.created_at DESC, p.id DESC LIMIT $limit
    RETURN p, score, null AS depth, 'popular' AS source
  }
  WITH p, score, depth, source ORDER BY score DESC, p.created_at DESC, p.id DESC LIMIT $limit
  RETURN collect(p {.id, .author, .visibility, .created_at, score: score, depth: depth, source: source}) AS posts
}
RETURN posts
