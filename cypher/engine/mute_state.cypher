// Whether $a and $b exist, and a's mute of b: whether one is stored, whether it is active
// (engine/rules/expiry.py) and when it ends.
OPTIONAL MATCH (a:Account {id: $a})
OPTIONAL MATCH (b:Account {id: $b})
WITH a, b,
  CASE WHEN a IS NULL OR b IS NULL THEN [] ELSE [(a)-[r:MUTES]->(b) | r] END AS mutes
RETURN
  a IS NOT NULL AS a_found,
  b IS NOT NULL AS b_found,
  size(mutes) > 0 AS stored,
  size([r IN mutes WHERE {{active(rel=r)}}]) > 0 AS active,
  head([r IN mutes | r.until]) AS until
