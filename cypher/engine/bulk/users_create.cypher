// Bulk import: create the accounts of $rows ({id, props, created_at: ISO-8601 text or null for $now}) that do not exist yet.
UNWIND $rows AS row
MERGE (a:Account {id: row.id})
  ON CREATE SET a += row.props, a.created_at = coalesce(datetime(row.created_at), $now)
