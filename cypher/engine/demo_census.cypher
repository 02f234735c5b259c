// The accounts the demo created (labelled DemoAccount), and how many other accounts the
// database holds, with the ids of a few of them.
CALL () {
  MATCH (a:DemoAccount)
  RETURN collect(a.id) AS mine
}
CALL () {
  MATCH (a:Account)
  WHERE NOT a:DemoAccount
  RETURN count(a) AS others
}
CALL () {
  MATCH (a:Account)
  WHERE NOT a:DemoAccount
  WITH a LIMIT 3
  RETURN collect(a.id) AS sample
}
RETURN mine, others, sample
