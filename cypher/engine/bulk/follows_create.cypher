// Bulk import: $a[i] follows $b[i] since $at[i] (ISO-8601 text; null: $now). The caller checked
// every pair under the locks: both exist, no block either way, no follow yet.
UNWIND range(0, size($a) - 1) AS i
MATCH (a:Account {id: $a[i]}), (b:Account {id: $b[i]})
CREATE (a)-[:FOLLOWS {src: a.id, dst: b.id, since: coalesce(datetime($at[i]), $now)}]->(b)
