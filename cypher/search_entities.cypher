// Full-text search over entity names and aliases (methods, datasets, tasks, metrics), through
// the `kg_text` index of schema.cypher. The query is Lucene syntax: words, "phrases",
// prefix*, fuzzy~, AND/OR.
// Parameters:
//   $query  string   Lucene query, e.g. 'low rank adaptation' or 'resnet*'
//   $limit  integer  how many entities to list
// Returns one row per entity: label, name, aliases, papers, score.
:param query => 'low rank adaptation';
:param limit => 20;

CALL db.index.fulltext.queryNodes('kg_text', $query) YIELD node, score
WHERE node:Method OR node:Dataset OR node:Task OR node:Metric
RETURN labels(node)[0] AS label, node.name AS name, node.aliases AS aliases,
       node.paper_count AS papers, round(score, 3) AS score
ORDER BY score DESC, papers DESC
LIMIT $limit;
