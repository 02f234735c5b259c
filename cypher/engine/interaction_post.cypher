// $actor comments on, duets or stitches post $post at $at (the same kind, pair and time once).
MATCH (a:Account {id: $actor}), (p:Post {id: $post})
MERGE (a)-[i:INTERACTED {kind: $kind, at: $at}]->(p)
  ON CREATE SET i.src = a.id, i.dst = p.author, i.post = p.id
