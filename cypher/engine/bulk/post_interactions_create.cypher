// Bulk import: $actor[i] likes, comments on, duets or stitches post $post[i] at $at[i]
// (stored as interaction_like / interaction_post store them; checked by the caller under the locks).
UNWIND range(0, size($actor) - 1) AS i
MATCH (a:Account {id: $actor[i]}), (p:Post {id: $post[i]})
CREATE (a)-[:INTERACTED {kind: $kind[i], src: a.id, dst: p.author, post: p.id, at: datetime($at[i])}]->(p)
