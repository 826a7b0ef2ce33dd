// Tasks and their most used datasets: for the tasks with the most papers, the datasets those
// papers evaluate on.
// Parameters:
//   $limit     integer  how many tasks to list
//   $per_task  integer  how many datasets to show per task
// Returns one row per task: task, papers (addressing it), datasets ([{dataset, papers}]).
:param limit => 10;
:param per_task => 5;

MATCH (t:Task)<-[:ADDRESSES]-(p:Paper)-[:EVALUATES_ON]->(d:Dataset)
WITH t, d, count(DISTINCT p) AS papers
ORDER BY papers DESC, d.name
WITH t, collect({dataset: d.name, papers: papers})[..$per_task] AS datasets
MATCH (t)<-[:ADDRESSES]-(p:Paper)
RETURN t.name AS task, count(DISTINCT p) AS papers, datasets
ORDER BY papers DESC, task
LIMIT $limit;
