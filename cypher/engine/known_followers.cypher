// Accounts $viewer follows that follow $target ("followed by x, y and 3 others"), with their
// total: only when the target's lists are reachable by the viewer at all (lists_reachable: no
// active block either way, and a private target only for an approved follower), and counting a
// follow k->target only when the viewer may see it (reveals_follow: the viewer may see k's
// following list or the target's followers list). Both rules: engine/rules/lists.py.
OPTIONAL MATCH (v:Account {id: $viewer})
OPTIONAL MATCH (t:Account {id: $target})
CALL (v, t) {
  WITH v, t WHERE v IS NOT NULL AND t IS NOT NULL AND {{lists_reachable(owner=t, viewer=v)}}
  MATCH (v)-[:FOLLOWS]->(k)-[:FOLLOWS]->(t)
  WHERE {{reveals_follow(viewer=v, src=k, dst=t)}}
  RETURN count(k) AS total
}
CALL (v, t) {
  WITH v, t WHERE v IS NOT NULL AND t IS NOT NULL AND {{lists_reachable(owner=t, viewer=v)}}
  MATCH (v)-[:FOLLOWS]->(k)-[:FOLLOWS]->(t)
  WHERE k.id > $after AND {{reveals_follow(viewer=v, src=k, dst=t)}}
  WITH k ORDER BY k.id LIMIT $limit
  RETURN collect(k.id) AS ids
}
RETURN v IS NOT NULL AS viewer_found, t IS NOT NULL AS target_found, total, ids
