// $actor likes post $post (one like per account and post).
MATCH (a:Account {id: $actor}), (p:Post {id: $post})
MERGE (a)-[i:INTERACTED {kind: 'like'}]->(p)
  ON CREATE SET i.src = a.id, i.dst = p.author, i.post = p.id, i.at = $at
