// The events $after + 1 .. $after + $limit, in order: an Event numbers its changes seq..last, so
// these are the Event that holds seq $after + 1 when it began earlier, and the Events that begin
// in the range, each cut to the range (a bulk import's change set holds a batch of changes);
// how far the outbox was pruned; and whether change sets wait to be numbered. An Event written
// before the outbox held change sets has seq only and its one change's fields as single values.
OPTIONAL MATCH (c:EventSeq {id: 'events'})
OPTIONAL CALL () {
  MATCH (e:Event)
    WHERE e.seq <= $after
  WITH e ORDER BY e.seq DESC
  LIMIT 1
  WITH e WHERE coalesce(e.last, e.seq) > $after
  RETURN e
  UNION
  MATCH (e:Event)
    WHERE $after < e.seq <= $after + $limit
  RETURN e
}
WITH c, e, CASE WHEN e.seq > $after THEN 0 ELSE $after + 1 - e.seq END AS skip
WITH c, e, skip, $after + $limit - e.seq + 1 AS upto
ORDER BY e.seq
WITH c, collect(e {
  seq: e.seq + skip, .at, .type, .actor, .subject, .post, .detail,
  types: e.types[skip..upto], actors: e.actors[skip..upto], subjects: e.subjects[skip..upto],
  posts: e.posts[skip..upto], details: e.details[skip..upto]
}) AS events
RETURN events, coalesce(c.pruned_through, 0) AS pruned_through, EXISTS { MATCH (:OutboxPending) } AS pending
