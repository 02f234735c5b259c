// The second statement of a sequencing pass (under its locks): each listed change set becomes an
// Event numbered seq..last (its changes in order), and the counter moves to $n.
UNWIND $rows AS r
MATCH (p:OutboxPending)
  WHERE elementId(p) = r.id
SET p:Event, p.seq = r.seq, p.last = r.last
REMOVE p:OutboxPending
WITH count(p) AS numbered
MATCH (c:EventSeq {id: 'events'})
SET c.n = $n
RETURN numbered
