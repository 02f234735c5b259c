// Bulk import: every follow, request and close-friends membership between $a[i] and $b[i], both ways, is deleted (before a
// block). Blocks are few; the planner's Eager step (a relationship could match two rows) is fine.
UNWIND range(0, size($a) - 1) AS i
MATCH (a:Account {id: $a[i]}), (b:Account {id: $b[i]})
MATCH (a)-[r:FOLLOWS|REQUESTED|CLOSE_FRIEND]-(b)
DELETE r
