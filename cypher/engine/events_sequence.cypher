// The first statement of a sequencing pass: take the counter's lock (one pass at a time), then the
// lock of every stripe of the outbox (each granted once the writer holding it has committed), and
// list the pending change sets in the order to number them: by the server's clock at their append
// (a write that waited for another's locks appended after that one committed), then by node.
// While the pass holds the stripes no writer can commit an append, so every change set that
// committed before this point is listed (up to $limit, oldest first) and none that commits later.
MERGE (c:EventSeq {id: 'events'})
  ON CREATE SET c.n = 0
SET c._lock = true
REMOVE c._lock
WITH c
CALL (c) {
  UNWIND range(0, $stripes - 1) AS n
  MERGE (s:OutboxStripe {n: n})
  SET s._lock = true
  REMOVE s._lock
  RETURN count(s) AS stripes
}
CALL (c, stripes) {
  MATCH (p:OutboxPending)
  WITH p ORDER BY p.t, elementId(p)
  LIMIT $limit
  RETURN collect([elementId(p), size(p.types)]) AS pending
}
RETURN c.n AS n, pending
