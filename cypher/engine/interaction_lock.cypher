// The first statement of an interaction with a post: take the write lock of post $post, then of
// its author and $actor (in id order: posts before accounts, as every writer locks), and return
// the post's author and which of the two accounts exist. A post deleted by a transaction that
// held its lock first is left out (no row: NotFound).
MATCH (p:Post {id: $post})
SET p._lock = true
REMOVE p._lock
WITH p
  WHERE p.id = $post
CALL (p) {
  UNWIND [$actor, p.author] AS id
  WITH DISTINCT id
  ORDER BY id
  MATCH (x:Account {id: id})
  SET x._lock = true
  REMOVE x._lock
  WITH x, id
    WHERE x.id = id
  RETURN collect(x.id) AS found
}
RETURN p.author AS author, found
