// Bulk import: $a[i] asks to follow the private account $b[i] at $at[i] (null: $now; checked by the caller under the locks).
UNWIND range(0, size($a) - 1) AS i
MATCH (a:Account {id: $a[i]}), (b:Account {id: $b[i]})
CREATE (a)-[:REQUESTED {src: a.id, dst: b.id, at: coalesce(datetime($at[i]), $now)}]->(b)
