// Bulk import: every follow and request between $a[i] and $b[i], both ways, is deleted (before a
// block). Blocks are few; the planner's Eager step (a relationship could match two rows) is fine.
UNWIND range(0, size($a) - 1) AS i
MATCH (a:Account {id: $a[i]}), (b:Account {id: $b[i]})
MATCH (a)-[r:FOLLOWS|REQUESTED]-(b)
DELETE r
