// A method's neighbourhood, to look at as a graph in Neo4j Browser: the papers that propose or
// use it, and the datasets, tasks and other methods of those papers.
// Parameters:
//   $method  string   method name, alias or id (case-insensitive), e.g. 'LoRA'
//   $limit   integer  at most this many paths (keeps the picture readable)
// Returns paths (method <- paper -> neighbour); switch the result frame to Graph.
:param method => 'LoRA';
:param limit => 100;

MATCH (m:Method)
WHERE m.id = $method OR toLower(m.name) = toLower($method)
   OR any(alias IN m.aliases WHERE toLower(alias) = toLower($method))
MATCH path = (m)<-[:PROPOSES|USES]-(p:Paper)-[:PROPOSES|USES|EVALUATES_ON|INTRODUCES|ADDRESSES]->(neighbour)
WHERE neighbour <> m
RETURN path
LIMIT $limit;
