// Invariants of the graph, each with how many places break it and up to $examples of them.
// A healthy graph answers zero everywhere.
CALL () {
  MATCH (a:Account)-[r:FOLLOWS]->(b:Account)
  WITH a, b, count(r) AS n WHERE n > 1
  RETURN 'duplicate_follow' AS check, a.id AS a, b.id AS b
  UNION ALL
  MATCH (a:Account)-[r:REQUESTED]->(b:Account)
  WITH a, b, count(r) AS n WHERE n > 1
  RETURN 'duplicate_request' AS check, a.id AS a, b.id AS b
  UNION ALL
  MATCH (a:Account)-[r:BLOCKS]->(b:Account)
  WITH a, b, count(r) AS n WHERE n > 1
  RETURN 'duplicate_block' AS check, a.id AS a, b.id AS b
  UNION ALL
  MATCH (a:Account)-[:FOLLOWS|REQUESTED]->(b:Account)
  WHERE EXISTS { (a)-[:BLOCKS]-(b) }
  RETURN 'follow_or_request_across_block' AS check, a.id AS a, b.id AS b
  UNION ALL
  MATCH (a:Account)-[:REQUESTED]->(b:Account)
  WHERE EXISTS { (a)-[:FOLLOWS]->(b) }
  RETURN 'request_and_follow' AS check, a.id AS a, b.id AS b
  UNION ALL
  MATCH (a:Account)-[:REQUESTED]->(b:Account)
  WHERE NOT coalesce(b.private, false)
  RETURN 'request_to_public_account' AS check, a.id AS a, b.id AS b
  UNION ALL
  MATCH (a:Account)-[:FOLLOWS|REQUESTED|BLOCKS]->(a)
  RETURN 'self_relationship' AS check, a.id AS a, a.id AS b
  UNION ALL
  MATCH (a:Account)-[r:FOLLOWS|REQUESTED|BLOCKS]->(b:Account)
  WHERE r.src IS NULL OR r.dst IS NULL OR r.src <> a.id OR r.dst <> b.id
  RETURN 'edge_key_mismatch' AS check, a.id AS a, b.id AS b
}
WITH check, count(*) AS violations, collect([a, b])[..$examples] AS examples
RETURN check, violations, examples
ORDER BY check
