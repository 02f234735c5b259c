// Delete at most $batch nodes, of any label, with any relationship written since the relationships
// were deleted (one bounded transaction of `db reset`); the schema stays.
MATCH (n)
WITH n LIMIT $batch
DETACH DELETE n
RETURN count(*) AS deleted
