// Export: every pending follow request.
MATCH (a:Account)-[r:REQUESTED]->(b:Account)
RETURN a.id AS requester, b.id AS target, r.at AS at
