// The follows among the accounts $ids (for a picture of an ego network): one index seek per account.
UNWIND $ids AS id
MATCH ()-[r:FOLLOWS]->()
WHERE r.src = id AND r.dst IN $ids
RETURN r.src AS a, r.dst AS b
