CREATE INDEX interacted_src_dst_at IF NOT EXISTS FOR ()-[i:INTERACTED]-() ON (i.src, i.dst, i.at)
