// A new post by $author unless a post with this id exists (the summary's nodes_created tells which).
// MERGE under the post_id constraint: of two authors racing for one id, one creates the post and
// the other finds it (already_exists) instead of failing on the constraint.
MATCH (a:Account {id: $author})
MERGE (p:Post {id: $id})
  ON CREATE SET p += $props, p.author = $author
WITH a, p
WHERE p.author = $author AND NOT EXISTS { (a)-[:POSTED]->(p) }
CREATE (a)-[:POSTED]->(p)
