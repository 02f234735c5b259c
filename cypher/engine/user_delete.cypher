// Delete an account with every relationship it has, and its posts (with their interactions).
MATCH (a:Account {id: $id})
OPTIONAL MATCH (a)-[:POSTED]->(p:Post)
DETACH DELETE p, a
