// The ids of the posts written by any of $authors, by id (what preview_change reads the audience of).
MATCH (p:Post)
WHERE p.author IN $authors
RETURN p.id AS id, p.author AS author, p.visibility AS visibility
ORDER BY id
