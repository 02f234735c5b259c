CREATE INDEX follows_src_dst IF NOT EXISTS FOR ()-[r:FOLLOWS]-() ON (r.src, r.dst)
