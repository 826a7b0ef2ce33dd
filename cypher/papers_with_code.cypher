// Papers with code: papers whose abstract links a code repository, with the methods they
// propose, optionally only those that address a task.
// Parameters:
//   $task   string or null  task name, alias or id (case-insensitive); null for all papers
//   $limit  integer         how many papers to list
// Returns one row per paper: title, repositories (URLs), proposes (method names).
:param task => null;
:param limit => 25;

MATCH (p:Paper)-[:HAS_CODE]->(r:Repository)
WHERE $task IS NULL OR EXISTS {
  MATCH (p)-[:ADDRESSES]->(t:Task)
  WHERE t.id = $task OR toLower(t.name) = toLower($task)
     OR any(alias IN t.aliases WHERE toLower(alias) = toLower($task))
}
OPTIONAL MATCH (p)-[:PROPOSES]->(m:Method)
RETURN p.title AS title, collect(DISTINCT r.url) AS repositories, collect(DISTINCT m.name) AS proposes
ORDER BY title
LIMIT $limit;
