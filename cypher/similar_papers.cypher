// Papers similar to a paper by the entities they share (methods, datasets, tasks, metrics),
// ranked by Jaccard similarity of their entity sets.
// Parameters:
//   $paper  string   paper id (arxiv:… or paper:…) or exact title (case-insensitive)
//   $limit  integer  how many papers to list
// Returns one row per paper: title, shared (count), jaccard, shared_entities (names).
:param paper => 'ScaLearn: Simple and Highly Parameter-Efficient Task Transfer by Learning to Scale';
:param limit => 10;

MATCH (p:Paper)
WHERE p.id = $paper OR toLower(p.title) = toLower($paper)
MATCH (p)-[:PROPOSES|USES|EVALUATES_ON|INTRODUCES|ADDRESSES|MEASURES]->(e)
WITH p, collect(DISTINCT e) AS mine
UNWIND mine AS e
MATCH (e)<-[:PROPOSES|USES|EVALUATES_ON|INTRODUCES|ADDRESSES|MEASURES]-(other:Paper)
WHERE other <> p
WITH p, mine, other, collect(DISTINCT e) AS shared
MATCH (other)-[:PROPOSES|USES|EVALUATES_ON|INTRODUCES|ADDRESSES|MEASURES]->(x)
WITH mine, other, shared, count(DISTINCT x) AS theirs
RETURN other.title AS title, size(shared) AS shared,
       round(toFloat(size(shared)) / (size(mine) + theirs - size(shared)), 3) AS jaccard,
       [e IN shared | e.name] AS shared_entities
ORDER BY jaccard DESC, shared DESC, title
LIMIT $limit;
