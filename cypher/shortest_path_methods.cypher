// The shortest path between two methods, through papers, claims and other entities (any
// relationship, either direction, at most 8 hops).
// Parameters:
//   $from  string  method name, alias or id (case-insensitive), e.g. 'LoRA'
//   $to    string  method name, alias or id (case-insensitive), e.g. 'CLIP'
// Returns the path (look at it as a graph) and its nodes' captions in order.
:param from => 'LoRA';
:param to => 'CLIP';

// When a name matches several methods, the one with the most papers stands for it.
MATCH (a:Method)
WHERE a.id = $from OR toLower(a.name) = toLower($from)
   OR any(alias IN a.aliases WHERE toLower(alias) = toLower($from))
WITH a ORDER BY a.paper_count DESC LIMIT 1
MATCH (b:Method)
WHERE b.id = $to OR toLower(b.name) = toLower($to)
   OR any(alias IN b.aliases WHERE toLower(alias) = toLower($to))
WITH a, b ORDER BY b.paper_count DESC LIMIT 1
MATCH path = shortestPath((a)-[*..8]-(b))
WHERE a <> b
RETURN path, [n IN nodes(path) | coalesce(n.name, n.title, n.text, n.id)] AS steps, length(path) AS hops;
