CREATE INDEX close_friend_src_dst IF NOT EXISTS FOR ()-[r:CLOSE_FRIEND]-() ON (r.src, r.dst)
