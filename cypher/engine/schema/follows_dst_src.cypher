CREATE INDEX follows_dst_src IF NOT EXISTS FOR ()-[r:FOLLOWS]-() ON (r.dst, r.src)
