// The first statement of a numbering pass: take the counter's lock (one pass at a time) and read
// the latest append time among the change sets committed now (null: none). The pass numbers only
// sets appended no later than that: every set that committed before another one of them was
// appended is among them (docs/decisions.md, "The outbox numbers committed change sets").
MERGE (c:EventSeq {id: 'events'})
  ON CREATE SET c.n = 0
SET c._lock = true
REMOVE c._lock
WITH c
OPTIONAL MATCH (p:OutboxPending)
RETURN c.n AS n, max(p.t) AS upto
