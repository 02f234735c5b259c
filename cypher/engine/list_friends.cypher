// Friends of $user (follows returned) with id > $after, by id. The seek runs over the smaller
// of the two follow lists, and the other direction is checked edge by edge. Each branch seeks
// with a value that is null unless it is the branch to run: the planner seeks before it filters,
// and a hub's branch not taken would otherwise read its 100k followers for nothing.
OPTIONAL MATCH (u:Account {id: $user})
WITH u, COUNT { (u)-[:FOLLOWS]->() } <= COUNT { (u)<-[:FOLLOWS]-() } AS scan_following
CALL (u, scan_following) {
  CALL (u, scan_following) {
    WITH u WHERE u IS NOT NULL AND scan_following
    MATCH ()-[r:FOLLOWS]->(f)
    WHERE r.src = CASE WHEN scan_following THEN $user END AND r.dst > $after AND EXISTS { (f)-[:FOLLOWS]->(u) }
    WITH r ORDER BY r.src, r.dst LIMIT $limit
    RETURN r.dst AS id
    UNION
    WITH u WHERE u IS NOT NULL AND NOT scan_following
    MATCH (f)-[r:FOLLOWS]->()
    WHERE r.dst = CASE WHEN scan_following THEN null ELSE $user END AND r.src > $after
      AND EXISTS { (u)-[:FOLLOWS]->(f) }
    WITH r ORDER BY r.dst, r.src LIMIT $limit
    RETURN r.src AS id
  }
  WITH id ORDER BY id
  RETURN collect(id) AS ids
}
RETURN u IS NOT NULL AS found, ids
