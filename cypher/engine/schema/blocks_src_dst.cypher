CREATE INDEX blocks_src_dst IF NOT EXISTS FOR ()-[r:BLOCKS]-() ON (r.src, r.dst)
