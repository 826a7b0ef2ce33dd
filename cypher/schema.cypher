// paperkg graph schema for Neo4j 5: run before the first load (`kg load` and `kg build --neo4j`
// do it for you). Every statement is idempotent (IF NOT EXISTS), so running it again is harmless.
//
// One uniqueness constraint on `id` per label: MERGE on `id` finds nodes through the
// constraint's index, and a second load can never duplicate a node.
CREATE CONSTRAINT paper_id IF NOT EXISTS FOR (n:Paper) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT method_id IF NOT EXISTS FOR (n:Method) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT dataset_id IF NOT EXISTS FOR (n:Dataset) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT task_id IF NOT EXISTS FOR (n:Task) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT metric_id IF NOT EXISTS FOR (n:Metric) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT claim_id IF NOT EXISTS FOR (n:Claim) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT repository_id IF NOT EXISTS FOR (n:Repository) REQUIRE n.id IS UNIQUE;
CREATE CONSTRAINT author_id IF NOT EXISTS FOR (n:Author) REQUIRE n.id IS UNIQUE;

// Full-text search over entity names and aliases, paper titles and claim text, e.g.
//   CALL db.index.fulltext.queryNodes('kg_text', 'resnet~') YIELD node, score
// Eventually consistent: the index is updated beside the load instead of inside every write
// transaction; the loader waits for it to catch up before it returns.
CREATE FULLTEXT INDEX kg_text IF NOT EXISTS
FOR (n:Method|Dataset|Task|Metric|Paper|Claim)
ON EACH [n.name, n.aliases, n.title, n.text]
OPTIONS {indexConfig: {`fulltext.eventually_consistent`: true}};

// Lookups by name in the query library (case-sensitive exact and prefix matches).
CREATE INDEX method_name IF NOT EXISTS FOR (n:Method) ON (n.name);
CREATE INDEX dataset_name IF NOT EXISTS FOR (n:Dataset) ON (n.name);
CREATE INDEX task_name IF NOT EXISTS FOR (n:Task) ON (n.name);
CREATE INDEX metric_name IF NOT EXISTS FOR (n:Metric) ON (n.name);
