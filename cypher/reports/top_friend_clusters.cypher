// name: top_friend_clusters
// description: Top-friend clusters: triangles of three accounts who are all friends with each other, around one account or in the whole graph.
// param user: id = null -- only triangles with this account (null: every triangle)
// param limit: int = 100 -- how many triangles
//
// Each triangle is listed once, its ids in order (a < b < c).
CALL () {
  MATCH (u:Account {id: $user})-[:FOLLOWS]->(x:Account)-[:FOLLOWS]->(u)
  MATCH (u)-[:FOLLOWS]->(y:Account)-[:FOLLOWS]->(u)
  WHERE x.id < y.id AND EXISTS { (x)-[:FOLLOWS]->(y) } AND EXISTS { (y)-[:FOLLOWS]->(x) }
  WITH u.id AS p, x.id AS q, y.id AS r
  RETURN
    CASE WHEN p < q THEN p ELSE q END AS a,
    CASE WHEN p < q THEN q WHEN p < r THEN p ELSE r END AS b,
    CASE WHEN p < r THEN r ELSE p END AS c
  UNION ALL
  MATCH (x:Account)-[:FOLLOWS]->(y:Account)-[:FOLLOWS]->(x)
  WHERE $user IS NULL AND x.id < y.id
  MATCH (y)-[:FOLLOWS]->(z:Account)-[:FOLLOWS]->(y)
  WHERE y.id < z.id AND EXISTS { (x)-[:FOLLOWS]->(z) } AND EXISTS { (z)-[:FOLLOWS]->(x) }
  RETURN x.id AS a, y.id AS b, z.id AS c
}
RETURN a, b, c
ORDER BY a, b, c
LIMIT toInteger($limit)
