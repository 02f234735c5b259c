CREATE INDEX close_friend_dst_src IF NOT EXISTS FOR ()-[r:CLOSE_FRIEND]-() ON (r.dst, r.src)
