// Take the write lock of each account, in the order given (callers sort the ids so that
// concurrent operations lock in the same order), and return the accounts as they now are.
// An account deleted by a transaction that held its lock first has no properties once the lock
// is ours: it is left out (the caller answers NotFound), never returned as an empty map.
UNWIND $ids AS id
MATCH (a:Account {id: id})
SET a._lock = true
REMOVE a._lock
WITH a, id
WHERE a.id = id
RETURN a {.*} AS account
