// The most compared methods: methods that comparative claims most often say were beaten,
// with who beat them (the usual baselines of a field).
// Parameters:
//   $limit  integer  how many methods to list
// Returns one row per method: baseline, times_beaten, beaten_by (method names).
:param limit => 10;

MATCH (winner:Method)-[o:OUTPERFORMS]->(baseline:Method)
RETURN baseline.name AS baseline, count(o) AS times_beaten, collect(DISTINCT winner.name) AS beaten_by
ORDER BY times_beaten DESC, baseline
LIMIT $limit;
