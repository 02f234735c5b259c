// Delete a post with the interactions it received.
MATCH (p:Post {id: $id})
DETACH DELETE p
