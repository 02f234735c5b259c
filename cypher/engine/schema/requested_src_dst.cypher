CREATE INDEX requested_src_dst IF NOT EXISTS FOR ()-[r:REQUESTED]-() ON (r.src, r.dst)
