// Entities that appear under several aliases: the merges made by entity resolution, to check
// them (spellings, acronyms and long forms folded into one node).
// Parameters:
//   $min_aliases  integer  only entities with at least this many surface forms
//   $limit        integer  how many entities to list
// Returns one row per entity: label, name, aliases, papers, mentions.
:param min_aliases => 3;
:param limit => 50;

MATCH (e)
WHERE (e:Method OR e:Dataset OR e:Task OR e:Metric) AND size(e.aliases) >= $min_aliases
RETURN labels(e)[0] AS label, e.name AS name, e.aliases AS aliases,
       e.paper_count AS papers, e.mention_count AS mentions
ORDER BY size(aliases) DESC, papers DESC, name
LIMIT $limit;
