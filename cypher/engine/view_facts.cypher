// What the visibility rules need for each post of $posts and the viewer $viewer (null: logged out).
OPTIONAL MATCH (v:Account {id: $viewer})
UNWIND $posts AS pid
OPTIONAL MATCH (p:Post {id: pid})
OPTIONAL MATCH (a:Account {id: p.author})
RETURN
  pid AS post,
  p IS NOT NULL AND a IS NOT NULL AS found,
  v IS NOT NULL AS viewer_found,
  p.author AS author,
  p.visibility AS visibility,
  coalesce(a.private, false) AS author_private,
  coalesce(a.comment_policy, 'everyone') AS comment_policy,
  coalesce(p.duet_policy, a.duet_policy, 'everyone') AS duet_policy,
  coalesce(p.stitch_policy, a.stitch_policy, 'everyone') AS stitch_policy,
  v IS NOT NULL AND a IS NOT NULL AND EXISTS { (v)-[:FOLLOWS]->(a) } AS viewer_follows_author,
  v IS NOT NULL AND a IS NOT NULL AND EXISTS { (a)-[:FOLLOWS]->(v) } AS author_follows_viewer,
  v IS NOT NULL AND a IS NOT NULL AND EXISTS { (v)-[:BLOCKS]->(a) } AS viewer_blocks_author,
  v IS NOT NULL AND a IS NOT NULL AND EXISTS { (a)-[:BLOCKS]->(v) } AS author_blocks_viewer
