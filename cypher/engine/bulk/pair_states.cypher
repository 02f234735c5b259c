// Bulk import: for each pair ($a[i], $b[i]) of existing accounts, the follows, requests and blocks
// between them, either way, as [type, outgoing from $a[i]] (one expand per pair, twice as fast as
// one existence check per kind). Only pairs with something between them are returned.
UNWIND range(0, size($a) - 1) AS i
MATCH (a:Account {id: $a[i]}), (b:Account {id: $b[i]})
WITH i, [(a)-[r:FOLLOWS|REQUESTED|BLOCKS]-(b) WHERE {{active(rel=r)}} | [type(r), startNode(r) = a]] AS links
WHERE size(links) > 0
RETURN i, links
