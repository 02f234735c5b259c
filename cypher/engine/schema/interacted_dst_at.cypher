CREATE INDEX interacted_dst_at IF NOT EXISTS FOR ()-[i:INTERACTED]-() ON (i.dst, i.at)
