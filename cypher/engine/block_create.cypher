// a blocks b until $until (null: until unblocked): every follow, request and close-friends
// membership between them, both ways, is deleted. An expired block of the pair
// (engine/rules/expiry.py) is renewed, not doubled.
MATCH (a:Account {id: $a}), (b:Account {id: $b})
CALL (a, b) {
  MATCH (a)-[r:FOLLOWS|REQUESTED|CLOSE_FRIEND]-(b)
  DELETE r
}
MERGE (a)-[r:BLOCKS]->(b)
SET r.src = a.id, r.dst = b.id, r.at = datetime(), r.until = $until
