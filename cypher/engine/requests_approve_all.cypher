// An account became public: every pending request to it becomes a follow.
MATCH (a:Account {id: $id})<-[r:REQUESTED]-(x:Account)
DELETE r
CREATE (x)-[:FOLLOWS {src: x.id, dst: a.id, since: datetime()}]->(a)
RETURN x.id AS requester, EXISTS { (a)-[:FOLLOWS]->(x) } AS mutual
ORDER BY requester
