// The most used entities of one kind: methods, datasets, tasks or metrics by the number of
// papers that mention them (the `paper_count` the loader keeps up to date).
// Parameters:
//   $label  string   one of 'Method', 'Dataset', 'Task', 'Metric'
//   $limit  integer  how many entities to list
// Returns one row per entity: name, papers, mentions, aliases.
:param label => 'Method';
:param limit => 20;

MATCH (e)
WHERE $label IN labels(e) AND $label IN ['Method', 'Dataset', 'Task', 'Metric']
RETURN e.name AS name, e.paper_count AS papers, e.mention_count AS mentions, e.aliases AS aliases
ORDER BY papers DESC, mentions DESC, name
LIMIT $limit;
