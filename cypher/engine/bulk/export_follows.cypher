// Export: every follow.
MATCH (a:Account)-[r:FOLLOWS]->(b:Account)
RETURN a.id AS follower, b.id AS followee, r.since AS since
