// Bulk import: for each interaction ($actor[i] does $kind[i] to post $post[i] at $at[i], ISO-8601 text), what the
// rules need (as view_facts reads them) and whether it is already recorded: a like once per
// account and post, anything else once per kind, pair and time.
UNWIND range(0, size($actor) - 1) AS i
MATCH (v:Account {id: $actor[i]}), (p:Post {id: $post[i]})
MATCH (a:Account {id: p.author})
RETURN
  i,
  p.id AS post,
  p.author AS author,
  p.visibility AS visibility,
  coalesce(a.private, false) AS author_private,
  coalesce(a.comment_policy, 'everyone') AS comment_policy,
  coalesce(p.duet_policy, a.duet_policy, 'everyone') AS duet_policy,
  coalesce(p.stitch_policy, a.stitch_policy, 'everyone') AS stitch_policy,
  EXISTS { (v)-[:FOLLOWS]->(a) } AS viewer_follows_author,
  EXISTS { (a)-[:FOLLOWS]->(v) } AS author_follows_viewer,
  {{blocks(a=v, b=a)}} AS viewer_blocks_author,
  {{blocks(a=a, b=v)}} AS author_blocks_viewer,
  EXISTS { (a)-[:CLOSE_FRIEND]->(v) } AS viewer_close_friend,
  CASE $kind[i]
    WHEN 'like' THEN EXISTS { (v)-[:INTERACTED {kind: 'like'}]->(p) }
    ELSE EXISTS { (v)-[:INTERACTED {kind: $kind[i], at: datetime($at[i])}]->(p) }
  END AS recorded
