// What the list rule (engine/rules/lists.py) reads about owner $user and viewer $viewer: both
// exist, the owner's privacy and list settings, the follows between them, and whether an active
// block (engine/rules/expiry.py) exists either way.
OPTIONAL MATCH (o:Account {id: $user})
OPTIONAL MATCH (v:Account {id: $viewer})
RETURN
  o IS NOT NULL AS found,
  v IS NOT NULL AS viewer_found,
  coalesce(o.private, false) AS owner_private,
  o.followers_visibility AS followers_visibility,
  o.following_visibility AS following_visibility,
  o IS NOT NULL AND v IS NOT NULL AND EXISTS { (v)-[:FOLLOWS]->(o) } AS viewer_follows_owner,
  o IS NOT NULL AND v IS NOT NULL AND EXISTS { (o)-[:FOLLOWS]->(v) } AS owner_follows_viewer,
  o IS NOT NULL AND v IS NOT NULL AND {{blocked_either(a=o, b=v)}} AS blocked
