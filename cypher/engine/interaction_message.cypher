// $actor messages $recipient at $at (the same pair and time once).
MATCH (a:Account {id: $actor}), (b:Account {id: $recipient})
MERGE (a)-[i:INTERACTED {kind: 'message', at: $at}]->(b)
  ON CREATE SET i.src = a.id, i.dst = b.id
