// Bulk import: change existing posts ($rows: {id, changes, created_at: text or null to keep it}), under their locks.
UNWIND $rows AS row
MATCH (p:Post {id: row.id})
SET p += row.changes, p.created_at = coalesce(datetime(row.created_at), p.created_at)
