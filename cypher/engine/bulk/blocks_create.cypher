// Bulk import: $a[i] blocks $b[i] at $at[i] (null: $now); bulk/pairs_unlink ran first.
UNWIND range(0, size($a) - 1) AS i
MATCH (a:Account {id: $a[i]}), (b:Account {id: $b[i]})
CREATE (a)-[:BLOCKS {src: a.id, dst: b.id, at: coalesce(datetime($at[i]), $now)}]->(b)
