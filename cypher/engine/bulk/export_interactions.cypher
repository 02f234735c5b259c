// Export: every interaction; the target is the post (like, comment, duet, stitch) or the
// recipient (message).
MATCH (a:Account)-[i:INTERACTED]->(t)
RETURN i.kind AS kind, a.id AS actor, t.id AS target, i.at AS at
