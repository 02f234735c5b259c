// Bulk import: change the settings of existing accounts ($rows: {id, changes}).
UNWIND $rows AS row
MATCH (a:Account {id: row.id})
SET a += row.changes
