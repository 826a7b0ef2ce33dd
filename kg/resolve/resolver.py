"""Corpus-wide entity resolution: mention keys from all papers → one key per real entity.

Use::

    resolver = Resolver(aliases=AliasTable.from_file("aliases.txt"))   # aliases optional
    for ex in extractions:            # streams: nothing of an extraction is kept but counts
        local = resolver.add(ex)      # the paper's own keys (acronyms it defines), if kept
    resolution = resolver.finish()
    resolution.apply(ex)              # ex with mention, claim and comparison keys canonical
    resolution.apply(ex, local)       # the same, without reading the paper's text again
    resolution.canonical(key)         # key -> canonical key, without paper context
    resolution.entities               # {canonical key: Entity(label, key, name, aliases, …)}
    resolution.names()                # {canonical key: display name}

A mention's key is its own (``Mention.key``, from :func:`~kg.resolve.normalise.entity_key`),
or computed from its text when empty. Some keys depend on the paper, so rewrite whole
extractions with :meth:`Resolution.apply`; :meth:`Resolution.canonical` gives the corpus-wide
mapping only.

Inside one paper (computed from the paper's text by ``add``, which returns them, and by
``apply`` unless it is given them):

* an acronym the paper defines ("super-resolution (SR)", or a title "CyCADA: Cycle-Consistent
  Adversarial Domain Adaptation") takes its long form's key;
* a one-word task or metric ("segmentation", "accuracy") takes the key of a longer mention of
  the paper that ends with it ("brain tumor segmentation", "top-1 accuracy").

Across the corpus (each step refuses a merge that an alias file's ``!=`` line forbids):

1. ``=`` lines of the alias file.
2. Keys of one label that differ only in hyphenation (:func:`~kg.resolve.normalise.compact`):
   ``fast-r-cnn`` = ``fast-rcnn``, ``super-resolution`` = ``superresolution``; or, when the
   corpus has both, in a generic last word or a plural (not datasets): "BiLSTM model" =
   "BiLSTM", "memory networks" = "memory network" (:data:`GENERIC_TAILS`).
3. Acronyms and long forms, when the definitions in the corpus agree: one long form (up to
   inflection) accounts for at least :data:`DOMINANT_SHARE` of the papers defining it. An
   acronym of at most :data:`SHORT_ACRONYM` characters also needs two defining papers or a
   long form that some other paper uses. An ambiguous acronym keeps its own node for papers
   that use it without a definition.
4. Acronyms inside longer names ("span SRL" = "span semantic role labeling").
5. Acronyms never defined, spelled by the initials of exactly one longer name of the same
   label ("SNLI" = "Stanford Natural Language Inference").
6. A task or metric name of two words or more that no paper uses on its own, each paper
   having it also having one longer name that ends with it, joins that name ("role labeling"
   where papers say "semantic role labeling", "flow estimation" with "optical flow
   estimation"); not when the longer name is a variant (:data:`VARIANT_WORDS`).
7. One name under several labels (the extractor called "CLIP" a Dataset in a few papers, or
   "machine learning" a Method in some and a Task in others): the group with more papers
   than the others together takes them, and :meth:`Resolution.apply` gives the mentions its
   label. A one-word dataset ("CNN" of CNN/Daily Mail) follows only when some paper wrote the
   name under both labels.

The canonical key of a group is the key of its display name (the most frequent well-formed
surface form, see :func:`best_name`) when that is a member, else its most mentioned member
key; its label is the one most of its mentions carry. All choices are made in
:meth:`Resolver.finish` from order-free counts, with ties broken by sorted order, so the same
papers give the same ids whatever the input order or parallelism.

Memory grows with distinct keys and surface forms, plus one small array of key numbers per
paper (for exact paper counts of merged entities); no text is kept.
"""

from __future__ import annotations

import re
from array import array
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from typing import Collection, Iterable, TypeVar

from kg.models import Extraction, Mention
from kg.resolve.acronyms import find_definitions, title_definition
from kg.resolve.aliases import AliasTable
from kg.resolve.normalise import (
    HEAD_STOPS,
    WRAP_AFTER_NAME,
    WRAP_AFTER_NAME_OR_TWO,
    WRAP_ALWAYS,
    ACRONYM_PLURAL,
    canonical_form,
    compact,
    entity_key,
    is_plural,
    name_like,
    singular,
    split_key,
)
from kg.graph.schema import ENTITY_LABELS, ID_PREFIX

#: Share of an acronym's defining papers that one long form needs to be its corpus-wide sense.
DOMINANT_SHARE = 0.75
#: Acronyms this short (characters) spread beyond their paper only with more evidence.
SHORT_ACRONYM = 3

_R = TypeVar("_R")
_LABEL_OF_PREFIX = {ID_PREFIX[label]: label for label in ENTITY_LABELS}
_STOP = frozenset("of and for the in on with to a an via by from".split())
#: A written acronym: letters only, at least two capitals ("SNLI", "mAP", "GANs").
_ACRONYM_SHAPE = re.compile(r"^(?=(?:[a-z]*[A-Z]){2})[A-Za-z]{2,7}$")
#: Shouted: no lower case, and three words or more ("SINGLE IMAGE SUPER-RESOLUTION") or one
#: word of seven letters or more ("FEDHYPER"); "PASCAL VOC" and "SQUAD" are not.
_SHOUTING = re.compile(r"^(?!.*[a-z])(?:\S+\s+\S+\s+\S+.*|.*[A-Z]{7,}.*)$")


@dataclass
class Entity:
    """One canonical entity: a node of the graph."""

    label: str  # Method | Dataset | Task | Metric
    key: str  # canonical id, e.g. "method:clip"
    name: str  # most frequent well-formed surface form
    aliases: list[str] = field(default_factory=list)  # every surface form seen, sorted
    paper_count: int = 0
    mention_count: int = 0
    keys: list[str] = field(default_factory=list)  # the mention keys merged into it, sorted


def surface(text: str) -> str:
    """A surface form as stored in aliases: whitespace collapsed."""
    return " ".join(text.split())


def short_form_signature(short: str) -> str:
    """An acronym as compared with mention keys: compact, lower case, plural -s dropped."""
    short = surface(short)
    if ACRONYM_PLURAL.match(short.replace(" ", "").replace("-", "")):
        short = short[:-1]
    return compact(":" + canonical_form(short))[1:]


def paper_definitions(ex: Extraction) -> dict[str, str]:
    """{acronym signature: long form} for the acronyms one paper defines (first one wins)."""
    defs: dict[str, str] = {}
    named = title_definition(ex.paper.title)
    if named:
        defs[short_form_signature(named[0])] = named[1]
    for text in (ex.paper.title, ex.paper.abstract):
        for short, long_form in find_definitions(text or ""):
            defs.setdefault(short_form_signature(short), long_form)
    return defs


def mention_key(m: Mention) -> str:
    """The mention's own key, or one computed from its text when it has none."""
    return m.key or entity_key(m.label, m.text)


#: Labels whose one-word mentions, inside one paper, stand for a longer mention ending in
#: that word ("segmentation" in a paper on "brain tumor segmentation"; "accuracy" where the
#: paper says "top-1 accuracy"). Only one word: "object detection" in a paper on
#: "source-free object detection" names the general task, and linking the paper to it is
#: worth keeping. Not methods and datasets: there the shorter name is usually another thing
#: (R-CNN vs Fast R-CNN, ImageNet vs mini-ImageNet).
ANAPHORA_LABELS = frozenset({"Task", "Metric"})

#: Last words that add nothing to a name the corpus also writes without them (per label).
GENERIC_TAILS = {
    "Method": frozenset(
        "model models architecture architectures system systems module modules method methods "
        "approach approaches framework frameworks algorithm algorithms technique techniques "
        "baseline baselines".split()
    ),
    "Task": frozenset("task tasks problem problems setting settings model models".split()),
    "Metric": frozenset("score scores metric metrics value values".split()),
}


def local_keys(ex: Extraction, defs: dict[str, str] | None = None) -> dict[str, str]:
    """{mention key: key in this paper} for mentions that the paper itself resolves: acronyms
    it defines, and (tasks, metrics) one-word short forms of a longer mention it also has."""
    return _local_keys(ex, defs)[0]


def _local_keys(ex: Extraction, defs: dict[str, str] | None = None) -> tuple[dict[str, str], set[str]]:
    """local_keys, and the mention keys among them that are acronyms the paper defines."""
    defs = paper_definitions(ex) if defs is None else defs
    out: dict[str, str] = {}
    acronyms: set[str] = set()
    counts: Counter[str] = Counter()
    labels: dict[str, str] = {}
    for m in ex.entities:
        key = mention_key(m)
        if not key:
            continue
        if key not in out:
            out[key] = key
            long_form = defs.get(split_key(compact(key))[1]) if defs else None
            if long_form:
                local = entity_key(m.label, long_form)
                if local:
                    out[key] = local
                    acronyms.add(key)
        counts[out[key]] += 1
        labels[out[key]] = m.label
    if ANAPHORA_LABELS:
        words = {k: split_key(k)[1].split("-") for k in counts if labels[k] in ANAPHORA_LABELS}
        target: dict[str, str] = {}
        for short, sw in words.items():
            if len(sw) != 1:  # only a one-word name stands for a longer one
                continue
            prefix = split_key(short)[0]
            longer = [
                k for k, w in words.items()
                if len(w) > 1 and w[-1] == sw[0] and split_key(k)[0] == prefix
            ]
            if longer:
                target[short] = min(longer, key=lambda k: (-counts[k], len(words[k]), k))
        for key, local in out.items():
            out[key] = target.get(local, local)
    return {k: v for k, v in out.items() if k != v}, acronyms


class _Groups:
    """Union-find over keys with cannot-link constraints (alias-file ``!=`` lines)."""

    def __init__(self) -> None:
        self.parent: dict[str, str] = {}
        self.forbidden: dict[str, set[str]] = defaultdict(set)

    def find(self, x: str) -> str:
        parent = self.parent
        root = x
        while parent.get(root, root) != root:
            root = parent[root]
        while parent.get(x, x) != root:
            parent[x], x = root, parent[x]
        return root

    def forbid(self, a: str, b: str) -> None:
        self.forbidden[a].add(b)
        self.forbidden[b].add(a)

    def union(self, a: str, b: str) -> bool:
        """Join the groups of a and b unless a forbidden pair would end up together."""
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return True
        fa, fb = self.forbidden.get(ra, set()), self.forbidden.get(rb, set())
        if any(self.find(x) == rb for x in fa) or any(self.find(x) == ra for x in fb):
            return False
        # the smaller root wins, so the structure does not depend on the order of unions
        ra, rb = min(ra, rb), max(ra, rb)
        self.parent[rb] = ra
        if rb in self.forbidden:
            self.forbidden[ra] |= self.forbidden.pop(rb)
        return True


class Resolver:
    """Collects mention keys, surface forms and acronym definitions; :meth:`finish` merges."""

    def __init__(self, *, aliases: AliasTable | None = None) -> None:
        self.aliases = aliases or AliasTable()
        self._ids: dict[str, int] = {}
        self._keys: list[str] = []
        self._compacts: list[str] = []  # compact(key) of each key number
        self._surfaces: dict[int, Counter[str]] = defaultdict(Counter)
        self._mentions: Counter[int] = Counter()
        self._papers: list[array] = []
        # mention keys that a paper's own acronym definition (or a longer mention) rewrote
        self._acronyms: dict[int, set[str]] = defaultdict(set)
        self._borrowed: dict[int, set[str]] = defaultdict(set)
        # acronym signature -> {sense: defining papers}; one spelling of each sense
        self._senses: dict[str, Counter[str]] = defaultdict(Counter)
        self._spelling: dict[str, str] = {}
        # compact names that one paper used under two labels ("CLIP" a Method and a Dataset)
        self._colabelled: set[str] = set()
        # task and metric names of two words or more: the longer names they stand for in the
        # papers that also have one, and how many papers use them on their own
        self._clipped: dict[int, set[int]] = defaultdict(set)
        self._standalone: Counter[int] = Counter()

    def _id(self, key: str) -> int:
        i = self._ids.get(key)
        if i is None:
            i = self._ids[key] = len(self._keys)
            self._keys.append(key)
            # per key, not per paper: add and finish ask for it once for every paper
            self._compacts.append(compact(key))
        return i

    def _compact(self, key: str) -> str:
        """compact(key) of a key already counted (computed once, in :meth:`_id`)."""
        return self._compacts[self._ids[key]]

    def add(self, extraction: Extraction) -> dict[str, str]:
        """Count one paper's mentions and acronym definitions (the extraction is not kept).

        Returns the paper's local keys (what :func:`local_keys` gives): hand them to
        :meth:`Resolution.apply` with the same extraction so that it does not compute them
        again."""
        defs = paper_definitions(extraction)
        local, acronyms = _local_keys(extraction, defs)
        seen: set[int] = set()
        surfaces, mentions = self._surfaces, self._mentions
        for m in extraction.entities:
            key = mention_key(m)
            if not key:
                continue
            via = local.get(key)
            i = self._id(key if via is None else via)
            if via is not None:
                (self._acronyms if key in acronyms else self._borrowed)[i].add(key)
                long_form = defs.get(split_key(compact(key))[1])
                if long_form and entity_key(m.label, long_form) == via:
                    # the long form was written (in the definition) even if not extracted
                    surfaces[i].setdefault(surface(long_form), 0)
            surfaces[i][surface(m.text)] += 1
            mentions[i] += 1
            seen.add(i)
        self._papers.append(array("I", sorted(seen)))
        self._count_clippings(seen)
        labels_of: dict[str, set[str]] = defaultdict(set)
        compacts = self._compacts
        for i in seen:
            prefix, name = split_key(compacts[i])
            labels_of[name].add(prefix)
        self._colabelled.update(name for name, labels in labels_of.items() if len(labels) > 1)
        for sig, long_form in defs.items():
            sense = sense_of(long_form)
            if not sig or not sense:
                continue
            self._senses[sig][sense] += 1
            # one spelling per sense, the same whatever the order
            best = self._spelling.get(sense)
            if best is None or long_form < best:
                self._spelling[sense] = long_form
        return local

    def _count_clippings(self, seen: set[int]) -> None:
        """For each task or metric name of two words or more in this paper: the paper's longer
        names that end with it ("role labeling" in a paper on "semantic role labeling"), or a
        count that the paper uses it on its own."""
        by_suffix: dict[str, list[int]] = defaultdict(list)
        for i in seen:
            prefix, name = split_key(self._keys[i])
            if _LABEL_OF_PREFIX.get(prefix) not in ANAPHORA_LABELS:
                continue
            words = name.split("-")
            for n in range(2, len(words)):
                by_suffix[f"{prefix}:{'-'.join(words[-n:])}"].append(i)
        for i in seen:
            key = self._keys[i]
            prefix, name = split_key(key)
            if _LABEL_OF_PREFIX.get(prefix) not in ANAPHORA_LABELS or "-" not in name:
                continue
            longer = by_suffix.get(key)
            if longer:
                self._clipped[i].update(longer)
            else:
                self._standalone[i] += 1

    def finish(self) -> "Resolution":
        """Merge keys into entities and return the resolution."""
        keys = sorted(self._keys)
        groups = _Groups()
        for rule in self.aliases.different:
            groups.forbid(rule.a, rule.b)
        # 1. the user's same-as lines
        for rule in sorted(self.aliases.same, key=lambda r: (r.a, r.b)):
            groups.union(rule.a, rule.b)
        # 2. hyphenation variants
        by_compact: dict[str, list[str]] = defaultdict(list)
        compacts = self._compacts
        for key in keys:
            by_compact[self._compact(key)].append(key)
        for members in by_compact.values():
            for other in members[1:]:
                groups.union(members[0], other)
        # ... also reaching the alias-file keys ("ImageNet-1k" covers "imagenet1k")
        for rule in sorted(self.aliases.same, key=lambda r: (r.a, r.b)):
            for k in (rule.a, rule.b):
                for member in by_compact.get(compact(k), []):
                    groups.union(k, member)
        # 2b. a generic last word or a plural that the corpus also writes without
        self._loose_variants(keys, groups, by_compact)
        papers_of_compact: Counter[str] = Counter()
        for paper in self._papers:
            papers_of_compact.update({compacts[i] for i in paper})
        # 3. acronyms whose definitions agree across the corpus
        dominant, self._ambiguous = self._acronym_senses(papers_of_compact)
        for sig, long_forms in dominant.items():
            for label in ENTITY_LABELS:
                short_keys = by_compact.get(f"{ID_PREFIX[label]}:{sig}")
                if not short_keys:
                    continue
                for long_form in long_forms:
                    long_key = entity_key(label, long_form)
                    long_keys = by_compact.get(compact(long_key)) if long_key else None
                    if long_keys:
                        groups.union(short_keys[0], long_keys[0])
        # 4. acronyms inside longer names: "span SRL" = "span semantic role labeling"
        for key in keys:
            prefix, name = split_key(key)
            words = name.split("-")
            if len(words) < 2 or not any(w in dominant for w in words):
                continue
            label = _LABEL_OF_PREFIX.get(prefix, "")
            expanded = entity_key(label, " ".join(dominant[w][0] if w in dominant else w for w in words))
            others = by_compact.get(compact(expanded)) if expanded else None
            if others:
                groups.union(key, others[0])
        # 5. acronyms never defined but spelled by the initials of exactly one longer name
        #    ("SNLI" and "Stanford Natural Language Inference")
        self._initials(keys, groups, set(self._senses), papers_of_compact)
        # 6. task and metric names only ever used as a clipping of one longer name
        self._clippings(keys, groups)
        # 7. one name under several labels: the label of most papers takes the others
        self._label_vote(keys, groups)
        return self._entities(keys, groups)

    def _clippings(self, keys: list[str], groups: _Groups) -> None:
        """Join a task or metric name to the one longer name it always stands for: no paper
        uses it on its own, every paper that has it also has a longer name ending with it, and
        those longer names are one entity ("role labeling" in the papers on "semantic role
        labeling"). Not when the name is also used under another label, nor when the longer
        name is a variant (:data:`VARIANT_WORDS`): "source-free object detection" keeps its
        own node. Decided on the groups as they were before this step, so the order of the
        joins does not matter."""
        names = Counter(split_key(self._compact(k))[1] for k in keys)
        joins: list[tuple[str, str]] = []
        for i, longer in self._clipped.items():
            short = self._keys[i]
            if self._standalone[i] or names[split_key(compact(short))[1]] > 1:
                continue
            targets = sorted(self._keys[j] for j in longer)
            if len({groups.find(t) for t in targets}) == 1 and not any(
                    _is_variant(short, t) for t in targets):
                joins.append((short, targets[0]))
        for short, target in sorted(joins):
            groups.union(short, target)

    def _label_vote(self, keys: list[str], groups: _Groups) -> None:
        """The extractor may call one name a Method in some papers and a Task in others
        ("machine learning", "CLIP"): the group with more papers than all other groups of that
        name together takes them; a tie leaves them apart. One pass over the papers and the
        keys; names are visited in sorted order, so the result does not depend on input order."""
        by_name: dict[str, list[str]] = defaultdict(list)
        for key in keys:
            by_name[split_key(self._compact(key))[1]].append(key)
        shared = [m for m in by_name.values() if len({split_key(k)[0] for k in m}) > 1]
        if not shared:
            return
        # papers per group, so that "CLIP" counts for the long form it merged with
        group_papers: Counter[str] = Counter()
        for paper in self._papers:
            group_papers.update({groups.find(self._keys[i]) for i in paper})
        dataset = ID_PREFIX["Dataset"]
        for members in shared:
            roots: dict[str, list[str]] = defaultdict(list)
            for k in members:
                roots[groups.find(k)].append(k)
            ranked = sorted(roots, key=lambda r: (-group_papers[r], r))
            top = ranked[0]
            if len(ranked) < 2 or group_papers[top] <= sum(group_papers[r] for r in ranked[1:]):
                continue
            top_is_dataset = any(split_key(k)[0] == dataset for k in roots[top])
            for root in ranked[1:]:
                for k in roots[root]:
                    prefix, name = split_key(k)
                    # a one-word dataset may be another thing of the same name (the "CNN"
                    # news articles): it follows only when some paper wrote it under both labels
                    if (prefix == dataset and not top_is_dataset and "-" not in name
                            and name not in self._colabelled):
                        continue
                    ra, rb = groups.find(top), groups.find(k)
                    if ra != rb and groups.union(ra, rb):
                        # the merged group's count (an upper bound) for later names
                        group_papers[groups.find(ra)] = group_papers[ra] + group_papers[rb]

    def _loose_variants(self, keys: list[str], groups: _Groups,
                        by_compact: dict[str, list[str]]) -> None:
        """Join "memory networks" to "memory network" and "BiLSTM model" to "BiLSTM" when the
        corpus has both (not datasets: "Cityscapes", "Places"). The shorter name must keep two
        words or be written like a name, so that "language model" never joins "language"."""
        for key in keys:
            prefix, name = split_key(key)
            label = _LABEL_OF_PREFIX.get(prefix)
            words = name.split("-")
            if label not in GENERIC_TAILS or len(words) < 2:
                continue
            candidates = []
            if words[-1] in GENERIC_TAILS[label]:
                candidates.append(words[:-1])
            one = singular(words[-1])
            if one != words[-1]:
                candidates.append(words[:-1] + [one])
            for cand in candidates:
                others = by_compact.get(compact(f"{prefix}:{'-'.join(cand)}"))
                # not when an adjective is left: "pre-trained model" is no "pre-trained"
                if not others or cand[-1].endswith("ed"):
                    continue
                if len(cand) < 2:
                    surfaces = self._surfaces[self._ids[others[0]]]
                    if not any(name_like(t) for t in surfaces):
                        continue
                groups.union(key, others[0])

    def _acronym_senses(self, papers_of_compact: Counter[str]) -> tuple[dict[str, list[str]], set[str]]:
        """{acronym: its long forms} for acronyms whose definitions agree, and the acronyms
        defined in more than one sense (they do not name nodes). Senses that differ only in inflection ("Low-Rank Adaptation" / "Low-Rank
        Adapters") count as one. An acronym of at most :data:`SHORT_ACRONYM` characters is
        too ambiguous to spread from a single defining paper: it needs two, or a long form
        that other papers use too ("SGD" yes; "FFT" = "Full Fine-Tuning" of one paper, no)."""
        dominant: dict[str, list[str]] = {}
        ambiguous: set[str] = set()
        for sig, senses in sorted(self._senses.items()):
            clusters: list[list[str]] = []
            for sense, _ in sorted(senses.items(), key=lambda kv: (-kv[1], kv[0])):
                for cluster in clusters:
                    if _same_sense(cluster[0], sense):
                        cluster.append(sense)
                        break
                else:
                    clusters.append([sense])
            counts = [sum(senses[s] for s in c) for c in clusters]
            best = max(range(len(clusters)), key=lambda i: (counts[i], -i))
            if len(clusters) > 1:
                ambiguous.add(sig)
            if counts[best] < DOMINANT_SHARE * sum(counts):
                continue
            long_forms = [self._spelling[s] for s in clusters[best]]
            if len(sig) <= SHORT_ACRONYM and counts[best] < 2:
                attested = max(
                    (papers_of_compact[compact(entity_key(label, lf))]
                     for lf in long_forms for label in ENTITY_LABELS if entity_key(label, lf)),
                    default=0)
                if attested < 2:
                    continue
            dominant[sig] = long_forms
        return dominant, ambiguous

    def _initials(self, keys: list[str], groups: _Groups, defined: set[str],
                  papers_of_compact: Counter[str]) -> None:
        long_by_initials: dict[tuple[str, str], set[str]] = defaultdict(set)
        for key in keys:
            prefix, name = split_key(key)
            words = name.split("-")
            if len(words) < 2 or not all(w.isalpha() for w in words):
                continue
            for variant in (words, [w for w in words if w not in _STOP]):
                if len(variant) >= 2:
                    long_by_initials[prefix, "".join(w[0] for w in variant)].add(key)
        for key in keys:
            prefix, name = split_key(key)
            if not (3 <= len(name) <= 6 and name.isalpha()) or name in defined:
                continue
            surfaces = self._surfaces[self._ids[key]]
            written = min(surfaces.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            if not _ACRONYM_SHAPE.match(written):
                continue
            candidates = long_by_initials.get((prefix, name), set())
            roots = {groups.find(k) for k in candidates} - {groups.find(key)}
            if len(roots) != 1:
                continue
            target = min(candidates, key=lambda k: (groups.find(k), k))
            if len(name) <= SHORT_ACRONYM and papers_of_compact[compact(target)] < 2:
                continue
            groups.union(key, target)

    def _entities(self, keys: list[str], groups: _Groups) -> "Resolution":
        members: dict[str, list[str]] = defaultdict(list)
        for key in keys:
            members[groups.find(key)].append(key)
        canonical: dict[str, str] = {}
        entities: dict[str, Entity] = {}
        root_of_id = {self._ids[k]: groups.find(k) for k in keys}
        paper_counts: Counter[str] = Counter()
        for paper in self._papers:
            paper_counts.update({root_of_id[i] for i in paper})
        for root, group in members.items():
            ids = [self._ids[k] for k in group]
            surfaces: Counter[str]
            acronyms: set[str]
            borrowed: set[str]
            if len(ids) == 1:  # most groups: the key's own counts, read (never changed) below
                surfaces = self._surfaces[ids[0]]
                acronyms = self._acronyms.get(ids[0], set())
                borrowed = self._borrowed.get(ids[0], set())
            else:
                surfaces, acronyms, borrowed = Counter(), set(), set()
                for i in ids:
                    surfaces.update(self._surfaces[i])
                    acronyms |= self._acronyms.get(i, set())
                    borrowed |= self._borrowed.get(i, set())
            rewritten = acronyms | borrowed
            # one label per entity: the one most mentions of the group carry (see _label_vote)
            by_prefix: Counter[str] = Counter()
            for k in group:
                by_prefix[split_key(k)[0]] += self._mentions[self._ids[k]]
            prefix = min(by_prefix.items(), key=lambda kv: (-kv[1], kv[0]))[0]
            label = _LABEL_OF_PREFIX.get(prefix, prefix.capitalize())
            # the compact keys of the group's names under its label (a member of that label:
            # its own compact key, known)
            own = {self._compact(k) if split_key(k)[0] == prefix
                   else compact(f"{prefix}:{split_key(k)[1]}") for k in group}
            own.update(compact(f"{prefix}:{split_key(k)[1]}") for k in acronyms)
            name = best_name(surfaces, label, self._ambiguous, own)
            # a group of one key keeps it: its name's key is that key or, failing that, its
            # only member of the group's prefix (so no need to normalise the name again)
            key = group[0] if len(group) == 1 else entity_key(label, name)
            if key not in group:
                key = min((k for k in group if split_key(k)[0] == prefix),
                          key=lambda k: (-self._mentions[self._ids[k]], len(k), k))
            for k in group:
                canonical[k] = key
            entities[key] = Entity(
                label=label,
                key=key,
                name=name,
                aliases=sorted(surfaces),
                paper_count=paper_counts[root],
                mention_count=sum(self._mentions[i] for i in ids),
                keys=sorted(set(group) | rewritten),
            )
        return Resolution(canonical, dict(sorted(entities.items())))


#: Leading words that make a task a variant with its own node: supervision and shot regimes,
#: modalities, granularity, domains ("few-shot extreme classification", "multi-option ski
#: rental"); "and"/"or" mean a coordination, not a modifier.
VARIANT_WORDS = frozenset(
    "supervised unsupervised semi weakly self few zero one shot fewshot zeroshot transductive "
    "online offline incremental continual lifelong visual video audio speech text textual "
    "document multimodal modal multilingual lingual bilingual cross multi open domain graph "
    "fine coarse grained label class binary medical biomedical clinical and or".split()
)


def _is_variant(short: str, long: str) -> bool:
    """True when `long` is not simply `short` with more words in front: the added words name
    a variant, or `long` is about `short` rather than a kind of it ("dynamic bound of learning
    rate", "finetuning transformer-based models")."""
    extra = split_key(long)[1].split("-")[: -len(split_key(short)[1].split("-"))]
    if any(w in HEAD_STOPS for w in extra) or (extra and extra[0].endswith("ing")):
        return True
    return any(w in VARIANT_WORDS or any(c.isdigit() for c in w) for w in extra)


def sense_of(long_form: str) -> str:
    """What a long form means, for comparing definitions: its normalised name, compact."""
    key = entity_key("Method", long_form) or ":" + canonical_form(long_form)
    return split_key(compact(key))[1]


def _same_sense(a: str, b: str) -> bool:
    """Inflection variants: a common prefix of at least 80% of the shorter
    ("lowrankadaptation" / "lowrankadapter")."""
    n = 0
    for x, y in zip(a, b):
        if x != y:
            break
        n += 1
    return n >= max(4, 0.8 * min(len(a), len(b)))


def well_formed(text: str, label: str) -> bool:
    """Fit to be a display name: balanced brackets, no edge punctuation, no leading article,
    no wrapper word ("CIFAR-10 dataset", "LLM-based"), not shouted in capitals ("FEDHYPER")."""
    if not text or text.count("(") != text.count(")") or not text[0].isalnum():
        return False
    if not (text[-1].isalnum() or text[-1] in ")+"):
        return False
    words = text.split()
    if words[0] in ("the", "a", "an", "our", "this", "these", "their"):
        return False
    parts = re.split(r"[\s-]+", text.lower())
    last = parts[-1]
    wrappers = (WRAP_ALWAYS.get(label, frozenset()) | WRAP_AFTER_NAME.get(label, frozenset())
                | WRAP_AFTER_NAME_OR_TWO.get(label, frozenset()))
    if len(parts) > 1 and last in wrappers:
        # a wrapper only when the key drops it: "CIFAR-10 dataset", but "pre-trained model"
        key = entity_key(label, text)
        if not key or not key.endswith(singular(last)):
            return False
    return not _SHOUTING.match(text)


def best_name(surfaces: Counter[str], label: str, ambiguous: Collection[str] = (),
              own: Collection[str] = ()) -> str:
    """The most frequent well-formed surface form. Forms that are names of the entity's own keys
    go before forms that only a paper's context brought in ("classification" in a paper on
    "event classification"), even ill-formed ones; then forms without a parenthetical, singular forms before
    plurals ("CNN", not "CNNs"), an ambiguous acronym after its long form; ties go to a form
    not in Title Case, then the longer, then the smaller string."""
    def rank(item: tuple[str, int]) -> tuple:
        text, count = item
        borrowed = bool(own) and compact(entity_key(label, text)) not in own
        plural = label != "Dataset" and is_plural(text)
        vague = bool(ambiguous) and short_form_signature(text) in ambiguous
        bracketed = "(" in text  # "large language models (LLMs)": the name without
        words = text.split()
        # on a tie, "deep neural network" before the title's "Deep Neural Network"
        titled = len(words) > 1 and all(w[:1].isupper() and not w.isupper() for w in words)
        # a borrowed form first of all: "noisy classification tasks" must not be named
        # "classification", the name of another node
        return (borrowed, not well_formed(text, label), bracketed, vague, plural, -count,
                titled, -len(text), text)

    if len(surfaces) == 1:  # most entities: nothing to rank
        return next(iter(surfaces))
    return min(surfaces.items(), key=rank)[0]


class Resolution:
    """The result of resolution: a key → canonical key map and the canonical entities."""

    def __init__(self, canonical: dict[str, str], entities: dict[str, Entity]) -> None:
        self._canonical = canonical
        self.entities = entities

    def canonical(self, key: str) -> str:
        """The canonical key of a mention key (itself when the resolver never saw it).

        Paper-local acronyms are not applied here; use :meth:`apply` on whole extractions."""
        return self._canonical.get(key, key) if key else key

    def mapping(self) -> dict[str, str]:
        """{mention key: canonical key} for every key the resolver saw (a copy)."""
        return dict(self._canonical)

    def names(self) -> dict[str, str]:
        """{canonical key: display name}."""
        return {key: e.name for key, e in self.entities.items()}

    def __len__(self) -> int:
        return len(self.entities)

    def keys_of(self, ex: Extraction, local: dict[str, str] | None = None) -> dict[str, str]:
        """{mention key: canonical key} for one paper, paper-local acronyms included.

        `local`: the paper's local keys when known (what :meth:`Resolver.add` returned for
        this extraction); computed from the paper's text otherwise."""
        if local is None:
            local = local_keys(ex)
        out: dict[str, str] = {}
        for m in ex.entities:
            key = mention_key(m)
            if not key or key in out:
                continue
            via = local.get(key)
            # the local key is known unless the paper text changed since `add` (then fall back)
            out[key] = self._canonical[via] if via in self._canonical else self.canonical(key)
        return out

    def apply(self, ex: Extraction, local: dict[str, str] | None = None) -> Extraction:
        """A copy of `ex` whose mention, claim and comparison keys are canonical keys.

        `local`: what :meth:`Resolver.add` returned for this same extraction, if at hand (it
        saves computing the paper's acronyms again; see :meth:`keys_of`)."""
        table = self.keys_of(ex, local)

        def fix(key: str | None) -> str | None:
            if not key:
                return key
            return table.get(key) or self.canonical(key)

        entities = []
        for m in ex.entities:
            key = fix(mention_key(m)) or ""
            # a label vote may have moved the entity ("CLIP" called a Dataset in one paper)
            label = _LABEL_OF_PREFIX.get(split_key(key)[0], m.label) if key else m.label
            entities.append(_replace(m, key=key, label=label))
        claims = [_replace(c, about=_unique(fix(k) for k in c.about)) for c in ex.claims]
        comparisons = [
            _replace(c, method=fix(c.method), baseline=fix(c.baseline), dataset=fix(c.dataset),
                     metric=fix(c.metric))
            for c in ex.comparisons
        ]
        return _replace(ex, entities=entities, claims=claims, comparisons=comparisons)


def _replace(record: _R, **changes: object) -> _R:
    """``dataclasses.replace`` for the records of :mod:`kg.models` (plain dataclasses: every
    field set by ``__init__``, no ``__post_init__``; tests/resolve check both): a shallow copy
    of the instance's fields with `changes`, without ``replace``'s walk over the class's fields
    on every call, which was a third of ``apply``."""
    new = object.__new__(type(record))
    fields = record.__dict__.copy()
    fields.update(changes)
    new.__dict__ = fields
    return new


def _unique(keys: Iterable[str | None]) -> list[str]:
    out: list[str] = []
    for k in keys:
        if k and k not in out:
            out.append(k)
    return out


def resolve(extractions: Iterable[Extraction], *, aliases: AliasTable | None = None) -> Resolution:
    """Resolve all extractions in one call (see :class:`Resolver` to stream)."""
    resolver = Resolver(aliases=aliases)
    for ex in extractions:
        resolver.add(ex)
    return resolver.finish()
