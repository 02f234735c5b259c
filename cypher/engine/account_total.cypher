// How many accounts exist (the size of "everyone" in a preview's counts).
MATCH (a:Account)
RETURN count(a) AS n
