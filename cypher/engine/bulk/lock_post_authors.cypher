// Bulk import: take the write locks of the posts $ids (sorted by the caller) and return their authors.
UNWIND $ids AS id
MATCH (p:Post {id: id})
SET p._lock = true
REMOVE p._lock
RETURN p.id AS id, p.author AS author
