// $owner puts $member on their close-friends list (read after lock_accounts and pair_state:
// no block either way); an existing membership is left as it is (nothing created).
MATCH (o:Account {id: $owner}), (m:Account {id: $member})
MERGE (o)-[r:CLOSE_FRIEND]->(m)
  ON CREATE SET r.src = o.id, r.dst = m.id, r.at = datetime()
