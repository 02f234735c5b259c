// a unmutes b (an expired mute of the pair is deleted as well).
MATCH (a:Account {id: $a})-[r:MUTES]->(b:Account {id: $b})
DELETE r
