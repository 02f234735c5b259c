// Label the accounts the demo has just created, so that it deletes only those when it runs again.
MATCH (a:Account)
WHERE a.id IN $ids
SET a:DemoAccount
RETURN count(a) AS marked
