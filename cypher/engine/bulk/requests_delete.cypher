// Bulk import: the pending requests of $a[i] to $b[i] are consumed (their follows are being created).
UNWIND range(0, size($a) - 1) AS i
MATCH (a:Account {id: $a[i]})-[r:REQUESTED]->(b:Account {id: $b[i]})
DELETE r
