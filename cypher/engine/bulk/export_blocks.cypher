// Export: every block.
MATCH (a:Account)-[r:BLOCKS]->(b:Account)
RETURN a.id AS blocker, b.id AS blocked, r.at AS at
