// Methods that co-occur with a given method: other methods proposed or used by the papers
// that propose or use it, by the number of papers they share.
// Parameters:
//   $method  string   method name, alias or id (case-insensitive), e.g. 'LoRA'
//   $limit   integer  how many methods to list
// Returns one row per method: method, shared_papers, an example paper title.
:param method => 'LoRA';
:param limit => 15;

MATCH (m:Method)
WHERE m.id = $method OR toLower(m.name) = toLower($method)
   OR any(alias IN m.aliases WHERE toLower(alias) = toLower($method))
MATCH (m)<-[:PROPOSES|USES]-(p:Paper)-[:PROPOSES|USES]->(other:Method)
WHERE other <> m
WITH other, collect(DISTINCT p.title) AS papers
RETURN other.name AS method, size(papers) AS shared_papers, papers[0] AS example_paper
ORDER BY shared_papers DESC, method
LIMIT $limit;
