// a follows b; a pending request of a to b, if any, is consumed.
MATCH (a:Account {id: $a}), (b:Account {id: $b})
CALL (a, b) {
  MATCH (a)-[r:REQUESTED]->(b)
  DELETE r
}
CREATE (a)-[:FOLLOWS {src: a.id, dst: b.id, since: datetime()}]->(b)
