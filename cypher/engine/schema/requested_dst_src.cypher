CREATE INDEX requested_dst_src IF NOT EXISTS FOR ()-[r:REQUESTED]-() ON (r.dst, r.src)
