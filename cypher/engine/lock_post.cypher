// Take the write lock of a post (so a concurrent visibility change cannot slip past a check).
// A post deleted by a transaction that held its lock first is left out (NotFound).
MATCH (p:Post {id: $id})
SET p._lock = true
REMOVE p._lock
WITH p
WHERE p.id = $id
RETURN p {.*} AS post
