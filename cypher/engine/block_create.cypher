// a blocks b: every follow and request between them, both ways, is deleted.
MATCH (a:Account {id: $a}), (b:Account {id: $b})
CALL (a, b) {
  MATCH (a)-[r:FOLLOWS|REQUESTED]-(b)
  DELETE r
}
CREATE (a)-[:BLOCKS {src: a.id, dst: b.id, at: datetime()}]->(b)
