CREATE INDEX mutes_src_dst IF NOT EXISTS FOR ()-[r:MUTES]-() ON (r.src, r.dst)
