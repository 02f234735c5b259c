// name: reciprocity_leaderboard
// description: Accounts ranked by the share of their followers they follow back (friends / followers), among accounts with a minimum audience.
// param min_followers: int = 10 -- only accounts with at least this many followers
// param limit: int = 20 -- how many accounts
// chart: bar id ratio
MATCH (a:Account)
WITH a, COUNT { (a)<-[:FOLLOWS]-() } AS followers
WHERE followers >= $min_followers AND followers > 0
WITH a, followers, COUNT { (a)<-[:FOLLOWS]-(f) WHERE (a)-[:FOLLOWS]->(f) } AS friends
RETURN a.id AS id, followers, friends, round(toFloat(friends) / followers, 4) AS ratio
ORDER BY ratio DESC, followers DESC, id
LIMIT toInteger($limit)
