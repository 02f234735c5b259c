CREATE INDEX post_created IF NOT EXISTS FOR (p:Post) ON (p.created_at)
