// Which methods outperform a given method, and where: every comparative claim that states a
// method beats it, with the dataset and metric when the claim names them.
// Parameters:
//   $method  string  method name, alias or id (case-insensitive), e.g. 'LoRA'
// Returns one row per claim: winner, baseline, dataset, metric, paper title, claim sentence.
:param method => 'LoRA';

MATCH (baseline:Method)
WHERE baseline.id = $method OR toLower(baseline.name) = toLower($method)
   OR any(alias IN baseline.aliases WHERE toLower(alias) = toLower($method))
MATCH (winner:Method)-[o:OUTPERFORMS]->(baseline)
OPTIONAL MATCH (c:Claim {id: o.claim})
OPTIONAL MATCH (p:Paper {id: o.paper})
OPTIONAL MATCH (d:Dataset {id: o.dataset})
OPTIONAL MATCH (k:Metric {id: o.metric})
RETURN winner.name AS winner, baseline.name AS baseline,
       coalesce(d.name, o.dataset) AS dataset, coalesce(k.name, o.metric) AS metric,
       p.title AS paper, c.text AS claim
ORDER BY winner, paper;
