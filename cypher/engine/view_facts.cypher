// What the visibility rules need for each post of $posts and the viewer $viewer (null: logged out).
// One expand between viewer and author reads every follow, active block and close-friends
// membership of the pair, either way (an expired block no longer counts: engine/rules/expiry.py).
OPTIONAL MATCH (v:Account {id: $viewer})
UNWIND $posts AS pid
OPTIONAL MATCH (p:Post {id: pid})
OPTIONAL MATCH (a:Account {id: p.author})
WITH v, pid, p, a,
  CASE WHEN v IS NULL OR a IS NULL THEN []
    ELSE [(v)-[r:FOLLOWS|BLOCKS|CLOSE_FRIEND]-(a) WHERE {{active(rel=r)}} | [type(r), startNode(r) = v]] END AS links
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
  ['FOLLOWS', true] IN links AS viewer_follows_author,
  ['FOLLOWS', false] IN links AS author_follows_viewer,
  ['BLOCKS', true] IN links AS viewer_blocks_author,
  ['BLOCKS', false] IN links AS author_blocks_viewer,
  ['CLOSE_FRIEND', false] IN links AS viewer_close_friend
