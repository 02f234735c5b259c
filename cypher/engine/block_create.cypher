// a blocks b: every follow, request and close-friends membership between them, both ways, is deleted.
MATCH (a:Account {id: $a}), (b:Account {id: $b})
CALL (a, b) {
  MATCH (a)-[r:FOLLOWS|REQUESTED|CLOSE_FRIEND]-(b)
  DELETE r
}
CREATE (a)-[:BLOCKS {src: a.id, dst: b.id, at: datetime()}]->(b)
