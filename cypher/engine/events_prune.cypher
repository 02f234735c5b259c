// Delete the oldest events, in sequence order, up to the last one recorded before $before
// (at most $batch Events per call, each with all its changes), and remember how far the outbox
// was pruned. Change sets not numbered yet are never pruned.
MATCH (s:EventSeq {id: 'events'})
CALL (s) {
  MATCH (e:Event)
    WHERE e.at < $before
  RETURN max(coalesce(e.last, e.seq)) AS upto
}
CALL (s, upto) {
  MATCH (e:Event)
    WHERE upto IS NOT NULL AND e.seq <= upto
  WITH e ORDER BY e.seq
  LIMIT $batch
  WITH collect(e) AS gone, max(coalesce(e.last, e.seq)) AS through,
    sum(coalesce(e.last, e.seq) - e.seq + 1) AS changes
  FOREACH (x IN gone | DELETE x)
  RETURN changes AS deleted, through
}
SET s.pruned_through = CASE WHEN through > coalesce(s.pruned_through, 0) THEN through ELSE s.pruned_through END
RETURN deleted, s.pruned_through AS pruned_through
