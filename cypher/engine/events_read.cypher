// Events with seq > $after, in order, at most $limit; and how far the outbox was pruned.
OPTIONAL MATCH (s:EventSeq {id: 'events'})
CALL () {
  MATCH (e:Event)
  WHERE e.seq > $after
  WITH e ORDER BY e.seq LIMIT $limit
  RETURN collect(e {.*}) AS events
}
RETURN events, coalesce(s.pruned_through, 0) AS pruned_through, coalesce(s.n, 0) AS last
