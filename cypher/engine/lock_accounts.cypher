// Take the write lock of each account, in the order given (callers sort the ids so that
// concurrent operations lock in the same order), and return the accounts as they now are.
UNWIND $ids AS id
MATCH (a:Account {id: id})
SET a._lock = true
REMOVE a._lock
RETURN a {.*} AS account
