// Bulk import: take the write locks of the accounts $ids (sorted by the caller, so every writer
// locks in the same order) and say which exist and which of those are private.
UNWIND $ids AS id
MATCH (a:Account {id: id})
SET a._lock = true
REMOVE a._lock
RETURN collect(a.id) AS found, collect(CASE WHEN a.private THEN a.id END) AS private
