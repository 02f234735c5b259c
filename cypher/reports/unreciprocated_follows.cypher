// name: unreciprocated_follows
// description: Follows that are not returned, longest waiting first: one account's following-only, or every account's.
// param user: id = null -- only this account's follows (null: every account)
// param limit: int = 100 -- how many follows
CALL () {
  MATCH (a:Account {id: $user})-[r:FOLLOWS]->(b:Account)
  WHERE NOT EXISTS { (b)-[:FOLLOWS]->(a) }
  RETURN a, r, b
  UNION ALL
  MATCH (a:Account)-[r:FOLLOWS]->(b:Account)
  WHERE $user IS NULL AND NOT EXISTS { (b)-[:FOLLOWS]->(a) }
  RETURN a, r, b
}
RETURN a.id AS follower, b.id AS followee, r.since AS since
ORDER BY since, follower, followee
LIMIT toInteger($limit)
