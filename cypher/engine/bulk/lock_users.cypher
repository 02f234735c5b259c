// Bulk import: take the write locks of the accounts $ids (sorted by the caller) and return the
// settings of those that exist.
UNWIND $ids AS id
MATCH (a:Account {id: id})
SET a._lock = true
REMOVE a._lock
RETURN a {.id, .private, .dm_policy, .comment_policy, .duet_policy, .stitch_policy} AS account
