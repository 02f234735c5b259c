// Wait until every index is online (after creating the schema).
CALL db.awaitIndexes($seconds)
