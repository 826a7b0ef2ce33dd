// Most used datasets: the datasets that the most papers evaluate on (or release).
// Parameters:
//   $limit  integer  how many datasets to list
// Returns one row per dataset: dataset, papers (distinct papers that evaluate on or
// introduce it), introduced_by (titles of papers that release it), aliases.
:param limit => 10;

MATCH (d:Dataset)<-[r:EVALUATES_ON|INTRODUCES]-(p:Paper)
WITH d, count(DISTINCT p) AS papers,
     collect(DISTINCT CASE WHEN type(r) = 'INTRODUCES' THEN p.title END) AS introduced_by
RETURN d.name AS dataset, papers, introduced_by, d.aliases AS aliases
ORDER BY papers DESC, dataset
LIMIT $limit;
