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
  WHERE {{blocked_either(a=a, b=b)}}
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
  UNION ALL
  MATCH (a)-[r:FOLLOWS|REQUESTED|BLOCKS|POSTED]->(b)
  WHERE NOT a:Account OR NOT (b:Account OR (type(r) = 'POSTED' AND b:Post)) OR (type(r) = 'POSTED' AND NOT b:Post)
  RETURN 'edge_between_wrong_nodes' AS check, toString(a.id) AS a, toString(b.id) AS b
  UNION ALL
  MATCH (a:Account)
  WHERE NOT coalesce(a.id =~ $id_pattern, false)
     OR NOT coalesce(a.private IN [true, false], true)
     OR NOT coalesce(a.dm_policy IN $dm_policies, true)
     OR NOT coalesce(a.comment_policy IN $comment_policies, true)
     OR NOT coalesce(a.duet_policy IN $media_policies, true)
     OR NOT coalesce(a.stitch_policy IN $media_policies, true)
  RETURN 'invalid_account' AS check, toString(a.id) AS a, '' AS b
  UNION ALL
  MATCH (p:Post)
  WHERE COUNT { (:Account)-[:POSTED]->(p) } <> 1
  RETURN 'post_without_one_author' AS check, toString(p.id) AS a, toString(p.author) AS b
  UNION ALL
  MATCH (a:Account)-[:POSTED]->(p:Post)
  WHERE NOT coalesce(p.author = a.id, false)
  RETURN 'post_author_mismatch' AS check, toString(p.id) AS a, a.id AS b
  UNION ALL
  MATCH (p:Post)
  WHERE NOT coalesce(p.id =~ $id_pattern, false)
     OR NOT coalesce(p.visibility IN $visibilities, false)
     OR p.created_at IS NULL
     OR NOT coalesce(p.duet_policy IN $media_policies, true)
     OR NOT coalesce(p.stitch_policy IN $media_policies, true)
  RETURN 'invalid_post' AS check, toString(p.id) AS a, toString(p.author) AS b
  UNION ALL
  MATCH (a)-[i:INTERACTED]->(t)
  WHERE NOT a:Account
     OR NOT coalesce(i.kind IN $kinds, false)
     OR (i.kind = 'message' AND NOT t:Account)
     OR (i.kind <> 'message' AND NOT t:Post)
  RETURN 'interaction_on_wrong_target' AS check, toString(a.id) AS a, toString(t.id) AS b
  UNION ALL
  MATCH (a:Account)-[i:INTERACTED]->(t)
  WHERE i.at IS NULL
     OR NOT coalesce(i.src = a.id, false)
     OR (t:Post AND NOT coalesce(i.dst = t.author AND i.post = t.id, false))
     OR (t:Account AND NOT coalesce(i.dst = t.id, false))
  RETURN 'interaction_key_mismatch' AS check, a.id AS a, toString(t.id) AS b
  UNION ALL
  MATCH (a:Account)-[:INTERACTED {kind: 'message'}]->(a)
  RETURN 'message_to_self' AS check, a.id AS a, a.id AS b
  UNION ALL
  MATCH (a:Account)-[i:INTERACTED {kind: 'like'}]->(p:Post)
  WITH a, p, count(i) AS n WHERE n > 1
  RETURN 'duplicate_like' AS check, a.id AS a, p.id AS b
}
WITH check, count(*) AS violations, collect([a, b])[..$examples] AS examples
RETURN check, violations, examples
ORDER BY check
