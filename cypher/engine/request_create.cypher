// a asks to follow the private account b.
MATCH (a:Account {id: $a}), (b:Account {id: $b})
CREATE (a)-[:REQUESTED {src: a.id, dst: b.id, at: datetime()}]->(b)
