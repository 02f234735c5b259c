// name: pending_requests_by_age
// description: Pending follow requests by how long they have waited, in age bands; to one private account, or to every account.
// param target: id = null -- only requests to this account (null: every account)
// chart: bar age requests
WITH datetime() AS now
OPTIONAL MATCH (:Account)-[r:REQUESTED]->(b:Account)
WHERE $target IS NULL OR b.id = $target
WITH collect(duration.inDays(r.at, now).days) AS ages, min(r.at) AS oldest
UNWIND [
  {age: 'under 1 day', rank: 0, low: 0, high: 1},
  {age: '1-7 days', rank: 1, low: 1, high: 7},
  {age: '7-30 days', rank: 2, low: 7, high: 30},
  {age: '30-90 days', rank: 3, low: 30, high: 90},
  {age: '90 days or more', rank: 4, low: 90, high: null}
] AS band
RETURN band.age AS age, size([d IN ages WHERE d >= band.low AND (band.high IS NULL OR d < band.high)]) AS requests
ORDER BY band.rank
