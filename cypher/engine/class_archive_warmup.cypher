// The write of the throwaway server that builds the JVM's class-data archive (mutuals.io.class_archive):
// a few nodes and relationships created, matched and updated, so that the classes of the write
// path are archived too. It never runs against a user's database.
UNWIND range(1, $n) AS i
MERGE (a:Warm {id: i})-[r:W {at: i}]->(b:Warm {id: i + 1})
SET r.seen = coalesce(r.seen, 0) + 1
RETURN count(*) AS n
