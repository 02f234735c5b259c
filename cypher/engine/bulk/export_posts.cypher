// Export: every post.
MATCH (p:Post)
RETURN p.id AS id, p.author AS author, p.visibility AS visibility, p.created_at AS created_at,
  p.duet_policy AS duet_policy, p.stitch_policy AS stitch_policy
