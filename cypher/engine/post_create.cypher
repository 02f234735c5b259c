// A new post by $author (the caller checked that the id is free, under the author's lock).
MATCH (a:Account {id: $author})
CREATE (a)-[:POSTED]->(p:Post {id: $id, author: $author})
SET p += $props
