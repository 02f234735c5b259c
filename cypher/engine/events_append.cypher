// Append one transaction's changes to the outbox, as the writer's last statement: one
// OutboxPending node holding the changes as parallel lists ('' where a field is empty), stamped
// with the transaction's time (at) and the server's clock now (t, taken under the writer's
// account locks). No counter is touched: writers of unrelated accounts do not queue behind each
// other. The writer locks one of the outbox's stripes ($stripe) and holds it until it commits; a
// sequencing pass (events_sequence) locks every stripe, so it sees every writer either committed
// or not yet appended, never in between.
MERGE (s:OutboxStripe {n: $stripe})
SET s._lock = true
REMOVE s._lock
CREATE (:OutboxPending {
  types: $types, actors: $actors, subjects: $subjects, posts: $posts, details: $details,
  at: datetime.transaction(), t: datetime.realtime()
})
