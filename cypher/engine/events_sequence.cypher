// The second statement of a numbering pass (a new read, after the first ended, so it sees every
// set committed before then): the pending change sets appended no later than $upto, in the
// order to number them (by append time, then node), the oldest $limit.
MATCH (p:OutboxPending)
  WHERE p.t <= $upto
WITH p ORDER BY p.t, elementId(p)
LIMIT $limit
RETURN collect([elementId(p), size(p.types)]) AS pending
