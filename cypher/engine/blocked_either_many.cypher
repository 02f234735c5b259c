// For each account of $users, whether an active block (engine/rules/expiry.py) exists either
// way with $viewer: the profiles a viewer reads hide their counts across a block.
OPTIONAL MATCH (v:Account {id: $viewer})
UNWIND $users AS user
OPTIONAL MATCH (u:Account {id: user})
RETURN user, v IS NOT NULL AS viewer_found,
  u IS NOT NULL AND v IS NOT NULL AND {{blocked_either(a=u, b=v)}} AS blocked
