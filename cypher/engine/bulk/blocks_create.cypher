// Bulk import: $a[i] blocks $b[i] at $at[i] (null: $now); every follow and request between them, both ways, is deleted.
UNWIND range(0, size($a) - 1) AS i
MATCH (a:Account {id: $a[i]}), (b:Account {id: $b[i]})
CALL (a, b) {
  MATCH (a)-[r:FOLLOWS|REQUESTED]-(b)
  DELETE r
}
CREATE (a)-[:BLOCKS {src: a.id, dst: b.id, at: coalesce(datetime($at[i]), $now)}]->(b)
