// Export: every account and its settings.
MATCH (a:Account)
RETURN a.id AS id, coalesce(a.private, false) AS private, a.dm_policy AS dm_policy,
  a.comment_policy AS comment_policy, a.duet_policy AS duet_policy, a.stitch_policy AS stitch_policy,
  a.created_at AS created_at
