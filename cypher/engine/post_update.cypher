// Change a post's visibility.
MATCH (p:Post {id: $id})
SET p += $changes
RETURN p {.*} AS post
