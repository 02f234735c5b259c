CREATE INDEX post_author_created IF NOT EXISTS FOR (p:Post) ON (p.author, p.created_at)
