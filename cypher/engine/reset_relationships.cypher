// Delete at most $batch relationships, of any type (one bounded transaction of `db reset`).
MATCH ()-[r]->()
WITH r LIMIT $batch
DELETE r
RETURN count(*) AS deleted
