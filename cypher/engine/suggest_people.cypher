// People $user may know: accounts that are friends with at least one of $user's friends,
// that $user neither follows nor has asked to follow, with no block either way; ranked by the
// number of such mutual friends, then id. Each carries the first $via of those friends by id.
// $user's friends are found from the smaller of its two follow lists (a hub follows few and is
// followed by many), and the follow, block and mute checks run once per candidate, after
// counting. A friendship f-w is evidence only when $user may see both of its follows (each by
// reveals_follow: engine/rules/lists.py): a candidate whose only evidence is hidden is not
// suggested. Active blocks and mutes only (engine/rules/expiry.py).
OPTIONAL MATCH (u:Account {id: $user})
CALL (u) {
  CALL (u) {
    WITH u WHERE u IS NOT NULL AND COUNT { (u)-[:FOLLOWS]->() } <= COUNT { (u)<-[:FOLLOWS]-() }
    MATCH (u)-[:FOLLOWS]->(f)
    WHERE EXISTS { (f)-[:FOLLOWS]->(u) }
    RETURN f
    UNION
    WITH u WHERE u IS NOT NULL AND COUNT { (u)-[:FOLLOWS]->() } > COUNT { (u)<-[:FOLLOWS]-() }
    MATCH (u)<-[:FOLLOWS]-(f)
    WHERE EXISTS { (u)-[:FOLLOWS]->(f) }
    RETURN f
  }
  MATCH (f)-[:FOLLOWS]->(w)
  WHERE w <> u AND EXISTS { (w)-[:FOLLOWS]->(f) }
    AND {{reveals_follow(viewer=u, src=f, dst=w)}} AND {{reveals_follow(viewer=u, src=w, dst=f)}}
  WITH u, w, f ORDER BY f.id
  WITH u, w, count(f) AS mutual, collect(f.id) AS via
  WHERE NOT EXISTS { (u)-[:FOLLOWS|REQUESTED]->(w) }
    AND NOT {{blocked_either(a=u, b=w)}}
    AND NOT {{mutes(a=u, b=w)}}
  ORDER BY mutual DESC, w.id ASC
  LIMIT $limit
  RETURN collect({id: w.id, mutual_friends: mutual, via: via[..$via]}) AS rows
}
RETURN u IS NOT NULL AS found, rows
