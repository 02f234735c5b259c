// $owner takes $member off their close-friends list (nothing deleted: $member was not on it).
MATCH (o:Account {id: $owner})-[r:CLOSE_FRIEND]->(m:Account {id: $member})
DELETE r
