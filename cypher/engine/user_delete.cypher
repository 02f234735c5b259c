// Delete an account with every relationship it has, and its posts (with their interactions);
// returns the ids of the deleted posts (each gets a post_deleted event).
MATCH (a:Account {id: $id})
OPTIONAL MATCH (a)-[:POSTED]->(p:Post)
WITH a, collect(p) AS ps
WITH a, ps, [x IN ps | x.id] AS posts
FOREACH (x IN ps | DETACH DELETE x)
DETACH DELETE a
RETURN posts
