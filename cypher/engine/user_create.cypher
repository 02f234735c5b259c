// Create an account unless it exists (the summary's nodes_created tells which).
MERGE (a:Account {id: $id})
  ON CREATE SET a += $props, a.created_at = datetime()
RETURN a {.*} AS account
