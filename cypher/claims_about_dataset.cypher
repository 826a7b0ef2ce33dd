// The claims about a dataset: result sentences of abstracts that mention it, most confident
// first.
// Parameters:
//   $dataset  string   dataset name, alias or id (case-insensitive), e.g. 'ImageNet'
//   $limit    integer  how many claims to list
// Returns one row per claim: claim sentence, kind (comparative, quantitative, qualitative),
// confidence, paper title.
:param dataset => 'ImageNet';
:param limit => 25;

MATCH (d:Dataset)
WHERE d.id = $dataset OR toLower(d.name) = toLower($dataset)
   OR any(alias IN d.aliases WHERE toLower(alias) = toLower($dataset))
MATCH (p:Paper)-[:MAKES]->(c:Claim)-[:ABOUT]->(d)
RETURN c.text AS claim, c.kind AS kind, c.confidence AS confidence, p.title AS paper
ORDER BY confidence DESC, paper
LIMIT $limit;
