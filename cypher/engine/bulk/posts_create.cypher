// Bulk import: new posts ($rows: {id, author, props, created_at: text or null for $now}); the caller checked the authors exist and
// the ids are free, under the authors' locks.
UNWIND $rows AS row
MATCH (a:Account {id: row.author})
CREATE (a)-[:POSTED]->(p:Post {id: row.id, author: row.author})
SET p += row.props, p.created_at = coalesce(datetime(row.created_at), $now)
