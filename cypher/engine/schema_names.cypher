// Names of the indexes and constraints that exist (to skip re-applying the schema).
SHOW INDEXES YIELD name
RETURN collect(name) AS names
