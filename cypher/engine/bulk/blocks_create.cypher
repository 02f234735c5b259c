// Bulk import: $a[i] blocks $b[i] at $at[i] (null: $now); bulk/pairs_unlink ran first. An expired
// block of the pair (engine/rules/expiry.py) is renewed rather than doubled.
UNWIND range(0, size($a) - 1) AS i
MATCH (a:Account {id: $a[i]}), (b:Account {id: $b[i]})
MERGE (a)-[r:BLOCKS]->(b)
SET r.src = a.id, r.dst = b.id, r.at = coalesce(datetime($at[i]), $now), r.until = null
