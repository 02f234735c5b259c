// Change an account's settings.
MATCH (a:Account {id: $id})
SET a += $changes
RETURN a {.*} AS account
