// Papers that propose a method and evaluate it on a given dataset.
// Parameters:
//   $dataset  string  dataset name, alias or id (case-insensitive), e.g. 'CIFAR-10'
// Returns one row per paper: paper title, id, the methods it proposes, the dataset as named
// in the graph.
:param dataset => 'CIFAR-10';

MATCH (d:Dataset)
WHERE d.id = $dataset OR toLower(d.name) = toLower($dataset)
   OR any(alias IN d.aliases WHERE toLower(alias) = toLower($dataset))
MATCH (p:Paper)-[:EVALUATES_ON]->(d)
MATCH (p)-[:PROPOSES]->(m:Method)
RETURN p.title AS paper, p.id AS id, collect(DISTINCT m.name) AS proposes, d.name AS dataset
ORDER BY paper;
