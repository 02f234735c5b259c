// Take the write lock of a post (so a concurrent visibility change cannot slip past a check).
MATCH (p:Post {id: $id})
SET p._lock = true
REMOVE p._lock
RETURN p {.*} AS post
