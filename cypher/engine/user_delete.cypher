// Delete an account with every relationship it has.
MATCH (a:Account {id: $id})
DETACH DELETE a
