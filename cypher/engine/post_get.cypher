// A post and how many interactions of each kind it has received.
MATCH (p:Post {id: $id})
OPTIONAL CALL (p) {
  MATCH (p)<-[i:INTERACTED]-()
  RETURN i.kind AS kind, count(*) AS n
}
WITH p, collect([kind, n]) AS counts
RETURN p {.*} AS post, counts
