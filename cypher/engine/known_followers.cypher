// Accounts $viewer follows that follow $target ("followed by x, y and 3 others"): only when the
// viewer may see the target's followers (no block either way; the target is public, followed
// by the viewer, or the viewer).
OPTIONAL MATCH (v:Account {id: $viewer})
OPTIONAL MATCH (t:Account {id: $target})
WITH v, t,
  v IS NOT NULL AND t IS NOT NULL AND NOT EXISTS { (v)-[:BLOCKS]-(t) }
  AND (v = t OR NOT t.private OR EXISTS { (v)-[:FOLLOWS]->(t) }) AS visible
CALL (v, t, visible) {
  WITH v, t WHERE visible
  MATCH (v)-[:FOLLOWS]->(k)-[:FOLLOWS]->(t)
  RETURN count(k) AS total
}
CALL (v, t, visible) {
  WITH v, t WHERE visible
  MATCH (v)-[:FOLLOWS]->(k)-[:FOLLOWS]->(t)
  WHERE k.id > $after
  WITH k ORDER BY k.id LIMIT $limit
  RETURN collect(k.id) AS ids
}
RETURN v IS NOT NULL AS viewer_found, t IS NOT NULL AS target_found, visible, total, ids
