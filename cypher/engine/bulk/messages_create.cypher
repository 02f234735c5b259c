// Bulk import: $actor[i] messages $recipient[i] at $at[i] (stored as interaction_message stores it).
UNWIND range(0, size($actor) - 1) AS i
MATCH (a:Account {id: $actor[i]}), (b:Account {id: $recipient[i]})
CREATE (a)-[:INTERACTED {kind: 'message', src: a.id, dst: b.id, at: datetime($at[i])}]->(b)
