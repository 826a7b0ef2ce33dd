// Papers on a task: the papers that address it, with what they propose and where they
// evaluate.
// Parameters:
//   $task   string   task name, alias or id (case-insensitive), e.g. 'continual learning'
//   $limit  integer  how many papers to list
// Returns one row per paper: title, proposes (methods), datasets, metrics.
:param task => 'continual learning';
:param limit => 25;

MATCH (t:Task)
WHERE t.id = $task OR toLower(t.name) = toLower($task)
   OR any(alias IN t.aliases WHERE toLower(alias) = toLower($task))
MATCH (p:Paper)-[:ADDRESSES]->(t)
OPTIONAL MATCH (p)-[:PROPOSES]->(m:Method)
OPTIONAL MATCH (p)-[:EVALUATES_ON]->(d:Dataset)
OPTIONAL MATCH (p)-[:MEASURES]->(k:Metric)
RETURN p.title AS title, collect(DISTINCT m.name) AS proposes, collect(DISTINCT d.name) AS datasets,
       collect(DISTINCT k.name) AS metrics
ORDER BY size(proposes) + size(datasets) DESC, title
LIMIT $limit;
