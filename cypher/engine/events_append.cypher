// Append $events to the outbox, in order, in the writer's transaction. The counter's write lock
// is held until commit, so sequence numbers are committed in order: a reader never sees seq n+1
// before seq n, and a rolled-back transaction leaves no gap.
MERGE (s:EventSeq {id: 'events'})
  ON CREATE SET s.n = 0
SET s.n = s.n + size($events)
WITH s.n - size($events) AS base
UNWIND range(0, size($events) - 1) AS i
WITH base + i + 1 AS seq, $events[i] AS e
CREATE (:Event {
  seq: seq, type: e.type, actor: e.actor, subject: e.subject, post: e.post, detail: e.detail,
  at: datetime.transaction()
})
