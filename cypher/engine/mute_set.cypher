// a mutes b until $until (null: until unmuted): one MUTES relationship per pair, renewed (its
// `at` and `until` set again) when a mutes b again. Nothing else changes: no follow, no check.
MATCH (a:Account {id: $a}), (b:Account {id: $b})
MERGE (a)-[r:MUTES]->(b)
SET r.src = a.id, r.dst = b.id, r.at = datetime(), r.until = $until
