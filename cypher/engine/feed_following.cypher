// The following feed of $viewer (or, with $friends_only, the friends feed): posts the viewer may
// view (the can_view fragment of engine/rules/visibility.py, fed the flags computed once per
// followed author) by accounts the viewer follows, newest first, ties by post id descending,
// strictly after the keyset position ($before_at, $before_id). Each followed author is read
// through the post_author_created index, newest first, at most $limit posts each. An author the
// viewer actively mutes is left out, and only an active block counts (engine/rules/expiry.py).
MATCH (v:Account {id: $viewer})
CALL (v) {
  MATCH (v)-[:FOLLOWS]->(a:Account)
  WHERE NOT {{mutes(a=v, b=a)}}
  WITH v, a, {{blocked_either(a=v, b=a)}} AS blocked, EXISTS { (a)-[:FOLLOWS]->(v) } AS friends
  WHERE friends OR NOT $friends_only
  CALL (v, a, blocked, friends) {
    MATCH (p:Post)
    WHERE p.author = a.id AND p.created_at <= $before_at
      AND (p.created_at < $before_at OR p.id < $before_id)
      AND {{can_view(post=p, author=a, viewer=v, follows=true, friends=friends, blocked=blocked, is_author=false)}}
    WITH p ORDER BY p.created_at DESC, p.id DESC LIMIT $limit
    RETURN p
  }
  WITH p ORDER BY p.created_at DESC, p.id DESC LIMIT $limit
  RETURN collect(p {.id, .author, .visibility, .created_at}) AS posts
}
RETURN posts
