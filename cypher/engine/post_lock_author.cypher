// The first statement of post_add: take the write lock of the author $author and say whether a
// post of id $id exists, and whose. No row when the author does not exist (or was deleted by a
// transaction that held its lock first).
MATCH (a:Account {id: $author})
SET a._lock = true
REMOVE a._lock
WITH a
  WHERE a.id = $author
OPTIONAL MATCH (p:Post {id: $id})
RETURN a {.*} AS account, p.author AS post_author
