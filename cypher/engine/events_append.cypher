// Append one transaction's changes to the outbox, as the writer's last statement: one
// OutboxPending node holding the change set $changes (parallel lists, '' where a field is empty),
// stamped with the transaction's time (at) and the server clock now (t, taken under the writer's
// locks: a write that waited for another's locks appends after that one committed). Nothing
// shared is touched, so writers of unrelated accounts never wait for each other; a reader numbers
// the change sets that have committed (events_sequence_upto, events_sequence, events_assign).
// follow_apply appends with the same CREATE (tests/test_cypher.py checks they stay the same).
WITH $changes AS c
CREATE (:OutboxPending {types: c.types, actors: c.actors, subjects: c.subjects, posts: c.posts, details: c.details, at: datetime.transaction(), t: datetime.realtime()})
