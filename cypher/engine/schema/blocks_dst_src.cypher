CREATE INDEX blocks_dst_src IF NOT EXISTS FOR ()-[r:BLOCKS]-() ON (r.dst, r.src)
