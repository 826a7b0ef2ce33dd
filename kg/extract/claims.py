"""Claim analysis: what kind of finding a claim sentence states, what it is about, and who wins.

Plain functions over a claim sentence (a spaCy ``Span``) and the paper's mentions
(:class:`~kg.models.Mention`, offsets into a field), in the scispaCy manner; the component
:class:`ClaimKinds` only stores the kind on the Doc, and :func:`build_claims` turns a processed
Doc into the :class:`~kg.models.Claim` and :class:`~kg.models.Comparison` records of an
Extraction.

- **kind**: ``comparative`` when the sentence compares ("X outperforms Y", "better than",
  "compared to", "higher … than"), else ``quantitative`` when it reports a figure (a decimal, a
  percentage, "2x", "by 5 points", "an accuracy of 92."), else ``qualitative``. Counts that are
  not results ("on three datasets", "of 16 satellites"), years and versions ("Industry 4.0") do
  not make a claim quantitative.
- **about**: the keys of the mentions inside the sentence, in order, each once.
- **comparison**: for a comparative claim, the winning method (the subject; "our method", "we",
  "it", "the proposed approach" mean the paper's proposed method), the baselines named after the
  cue, and the first dataset and metric the sentence names. A passive ("Y is outperformed by
  X") and a fronted comparison ("Compared to Y, X …") are read the right way round. No
  comparison is made without a named baseline: "outperforms existing methods" has no entity
  to point an OUTPERFORMS edge at, and a comparison that names no winner ("smaller than",
  "vs", a bare "compared to") makes a comparative claim but no fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from kg.extract.candidates import CLAIMS, CONFIDENCE, register_extensions
from kg.extract.layout import Layout
from kg.models import Claim, Comparison, Mention

KINDS = ("comparative", "quantitative", "qualitative")

_COMPARE_VERBS = re.compile(
    r"^(?:outperform|surpass|beat|exceed|outdo|outmatch|outrun|outclass)(?:s|es|ed|en|ing)?$"
)
_PASSIVE_FORMS = frozenset({"outperformed", "surpassed", "beaten", "exceeded", "outdone"})
_BE = frozenset({"is", "are", "was", "were", "be", "been", "being"})
#: Two-word cues: first word → allowed second words.
_PAIR_CUES = {
    "compared": {"to", "with", "against"},
    "comparison": {"to", "with"},
    "relative": {"to"},
    "superior": {"to"},
    "improves": {"over", "upon", "on"},
    "improve": {"over", "upon"},
    "improved": {"over", "upon"},
    "improving": {"over", "upon"},
    "improvement": {"over"},
    "improvements": {"over"},
    "gain": {"over"},
    "gains": {"over"},
    "advantage": {"over"},
    "advantages": {"over"},
}
_SINGLE_CUES = frozenset({"vs", "vs.", "versus"})
_COMPARATIVES = frozenset(
    "better worse higher lower faster slower more less fewer smaller larger greater stronger "
    "weaker cheaper simpler shorter longer".split()
)
_NOT_COMPARATIVE_BEFORE_THAN = frozenset({"rather", "other"})
_FRONTED = frozenset({"compared", "comparison", "relative"})
#: Words that make a comparison a win for one side (an OUTPERFORMS fact), not just a contrast.
_POSITIVE = frozenset(
    "better higher faster stronger greater superior improves improved improvement improvements "
    "gains outperforms outperform outperforming surpasses beats exceeds".split()
)
_POSITIVE_STEMS = ("improv", "reduc", "outperform", "surpass", "speed")
_POSITIVE_BEFORE_THAN = frozenset({"better", "higher", "faster", "stronger", "greater"})
_CLAUSE_BREAKS = frozenset({";", "while", "whereas", "but", "although", "though", "which"})

_FIGURE_TOKEN = re.compile(r"^[+\-±]?\d+(?:[.,]\d+)?(?:%|x|×|-fold|pp)$", re.I)
_DECIMAL = re.compile(r"^[+\-±]?\d*\.\d+$")
_FIGURE_UNITS = frozenset(
    "% percent percentage pp point points x × times fold -fold db ms fps bleu rouge f1 auc map "
    "iou accuracy speedup faster slower lower higher fewer less more improvement reduction gain "
    "gains error perplexity ppl hours seconds minutes".split()
)
#: A number after these words is a result figure ("improves by 5", "achieves 91").
_FIGURE_AFTER_VERB = frozenset(
    "by reaching achieving achieves achieved reaches reached obtains obtained obtaining".split()
)
#: After these it is a figure only when no noun follows ("accuracy of 92 on", not "of 16 satellites").
_FIGURE_AFTER_PREP = frozenset("of at to from".split())
_FIGURE_NEXT = frozenset(
    "on in for with and or over across when while compared than , . ; : )".split()
)
_MAGNITUDE = re.compile(r"\b(?:twice|orders? of magnitude|\w+-fold)\b", re.I)

_SELF = frozenset({"our", "ours", "we", "it", "proposed"})
_SELF_NOUNS = frozenset(
    "method methods approach approaches model models framework system algorithm network "
    "architecture technique scheme pipeline solution estimator classifier".split()
)


@dataclass(frozen=True)
class Cue:
    """A comparison cue in a sentence: token range (doc indices) and how to read its sides."""

    start: int
    end: int
    passive: bool = False  # "Y is outperformed by X": the winner comes after the cue
    fronted: bool = False  # "Compared to Y, X …": the baseline comes first


def comparison_cue(sent: Span) -> Cue | None:
    """The first comparison cue of the sentence, or None."""
    tokens = list(sent)
    for k, tok in enumerate(tokens):
        low = tok.lower_
        nxt = tokens[k + 1].lower_ if k + 1 < len(tokens) else ""
        if _COMPARE_VERBS.match(low):
            passive = (
                low in _PASSIVE_FORMS
                and any(t.lower_ in _BE for t in tokens[max(0, k - 2) : k])
                and nxt == "by"
            )
            return Cue(tok.i, tok.i + 1 + int(passive), passive=passive)
        if low in _PAIR_CUES and nxt in _PAIR_CUES[low]:
            fronted = low in _FRONTED and k <= 2
            return Cue(tok.i, tok.i + 2, fronted=fronted)
        if low in _SINGLE_CUES:
            return Cue(tok.i, tok.i + 1)
        if low == "than" and k > 0:
            before = [t.lower_ for t in tokens[max(0, k - 3) : k]]
            if before[-1] in _NOT_COMPARATIVE_BEFORE_THAN:
                continue
            if before[-1] in {"more", "less", "fewer"} and nxt and _is_number(tokens[k + 1]):
                continue  # "more than 10 datasets" counts, it does not compare
            if any(w in _COMPARATIVES or (len(w) > 4 and w.endswith("er")) for w in before):
                first = next(
                    i for i, w in enumerate(before)
                    if w in _COMPARATIVES or (len(w) > 4 and w.endswith("er"))
                )
                return Cue(tokens[max(0, k - 3) + first].i, tok.i + 1)
    return None


def outperform_cue(sent: Span) -> Cue | None:
    """The cue of a win ("X outperforms Y", "better than", "Compared to Y, X is faster"), or None.

    Narrower than :func:`comparison_cue`: "smaller than", "vs" or a bare "compared to" compare
    without saying who wins, so they make a comparative claim but no OUTPERFORMS fact.
    """
    cue = comparison_cue(sent)
    if cue is None:
        return None
    doc = sent.doc
    first = doc[cue.start].lower_
    if _COMPARE_VERBS.match(first):
        return cue
    words = [t.lower_ for t in doc[cue.start : cue.end]]
    if words[-1] == "than":
        return cue if any(w in _POSITIVE_BEFORE_THAN for w in words) else None
    if first in _FRONTED:
        # the win must be stated elsewhere: "Compared to Y, X is faster", "X is faster compared to Y"
        rest = [t.lower_ for t in sent if not cue.start <= t.i < cue.end]
        wins = any(w in _POSITIVE or w.startswith(_POSITIVE_STEMS) for w in rest)
        return cue if wins else None
    if first in _SINGLE_CUES:
        return None
    return cue  # superior to, improves over, gains over, advantage over


def _is_number(token) -> bool:
    return any(c.isdigit() for c in token.text) and (token.like_num or bool(_DECIMAL.match(token.text)))


def _is_year(token) -> bool:
    return token.text.isdigit() and len(token.text) == 4 and token.text[:2] in {"19", "20"}


def has_figure(sent: Span) -> bool:
    """Whether the sentence reports a figure: a decimal, a percentage, a multiplier, or a number
    next to a unit or after "by/of/to/achieves …". Counts of things ("three datasets") are not."""
    tokens = list(sent)
    for k, tok in enumerate(tokens):
        text = tok.text
        nxt = tokens[k + 1].lower_ if k + 1 < len(tokens) else ""
        prev_tok = tokens[k - 1] if k > 0 else None
        if _FIGURE_TOKEN.match(text):
            return True
        if _DECIMAL.match(text):
            # "Industry 4.0", "Web 2.0": a version in a name, not a measurement
            if prev_tok is not None and prev_tok.is_title and prev_tok.is_alpha and nxt not in _FIGURE_UNITS:
                continue
            return True
        if not _is_number(tok) or _is_year(tok):
            continue
        prev = prev_tok.lower_ if prev_tok is not None else ""
        if nxt in _FIGURE_UNITS or prev in _FIGURE_AFTER_VERB:
            return True
        if prev in _FIGURE_AFTER_PREP and (not nxt or nxt in _FIGURE_NEXT):
            return True
    return bool(_MAGNITUDE.search(sent.text))


def claim_kind(sent: Span) -> str:
    """``comparative``, ``quantitative`` or ``qualitative`` (see the module docstring)."""
    if comparison_cue(sent) is not None:
        return "comparative"
    if has_figure(sent):
        return "quantitative"
    return "qualitative"


def mentions_in(
    start: int, end: int, mentions: Iterable[Mention], field: str = "abstract"
) -> list[Mention]:
    """The mentions of `field` that lie inside ``[start, end)`` (field offsets), in text order."""
    inside = [m for m in mentions if m.field == field and start <= m.start and m.end <= end]
    return sorted(inside, key=lambda m: (m.start, m.end))


def claim_about(
    start: int, end: int, mentions: Iterable[Mention], field: str = "abstract"
) -> list[str]:
    """Keys of the mentions inside the claim, in text order, each once."""
    keys: list[str] = []
    for m in mentions_in(start, end, mentions, field):
        if m.key and m.key not in keys:
            keys.append(m.key)
    return keys


def proposed_method(mentions: Sequence[Mention]) -> str | None:
    """The key of the paper's own method: a Method with role ``proposed`` (abstract or title),
    else the first Method named in the title."""
    methods = [m for m in mentions if m.label == "Method" and m.key]
    for m in methods:
        if m.role == "proposed":
            return m.key
    return next((m.key for m in methods if m.field == "title"), None)


def _refers_to_self(tokens: Sequence) -> bool:
    words = [t.lower_ for t in tokens]
    if _SELF & set(words):
        return True
    return any(
        w in {"this", "the", "our"} and nxt in _SELF_NOUNS for w, nxt in zip(words, words[1:])
    )


def find_comparisons(
    sent: Span,
    mentions: Sequence[Mention],
    *,
    offset: int = 0,
    field: str = "abstract",
    proposed: str | None = None,
    claim: int = 0,
    confidence: float = 1.0,
) -> list[Comparison]:
    """OUTPERFORMS facts stated by one sentence: one per named baseline.

    `mentions` carry offsets into `field`; `offset` is where that field starts in the Doc of
    `sent` (0 when the Doc is the field). `proposed` is the key of the paper's own method, used
    for "our method", "we", "it". `claim` is the claim's index in the Extraction.
    """
    cue = outperform_cue(sent)
    if cue is None:
        return []
    doc = sent.doc
    cue_start, cue_end = doc[cue.start].idx - offset, doc[cue.end - 1].idx + len(doc[cue.end - 1]) - offset
    inside = mentions_in(sent.start_char - offset, sent.end_char - offset, mentions, field)
    methods = [m for m in inside if m.label == "Method"]
    before = [m for m in methods if m.end <= cue_start]
    after = [m for m in methods if m.start >= cue_end]
    clause_end = next(
        (t.idx - offset for t in doc[cue.end : sent.end] if t.lower_ in _CLAUSE_BREAKS),
        sent.end_char - offset,
    )
    left_tokens = doc[sent.start : cue.start]

    if cue.fronted:
        comma = next((t.idx - offset for t in doc[cue.end : sent.end] if t.text == ","), None)
        if comma is None:
            return []
        baselines = [m for m in after if m.end <= comma]
        winners = [m for m in after if m.start > comma]
        right_tokens = [t for t in doc[cue.end : sent.end] if t.idx - offset > comma]
        winner = _pick_winner(winners, right_tokens, proposed)
    elif cue.passive:
        baselines = before
        winner = _pick_winner([m for m in after if m.end <= clause_end], doc[cue.end : sent.end], proposed)
    else:
        baselines = [m for m in after if m.end <= clause_end]
        winner = _pick_winner(before, left_tokens, proposed, fallback=not before)
    if winner is None:
        return []
    dataset = next((m.key for m in inside if m.label == "Dataset" and m.start >= cue_start), None)
    dataset = dataset or next((m.key for m in inside if m.label == "Dataset"), None)
    metric = next((m.key for m in inside if m.label == "Metric"), None)
    out: list[Comparison] = []
    for base in baselines:
        if base.key and base.key != winner and all(c.baseline != base.key for c in out):
            out.append(
                Comparison(
                    method=winner,
                    baseline=base.key,
                    claim=claim,
                    dataset=dataset,
                    metric=metric,
                    confidence=confidence,
                )
            )
    return out


def _pick_winner(
    candidates: Sequence[Mention], tokens: Sequence, proposed: str | None, fallback: bool = False
) -> str | None:
    """The winning method: the proposed one if named or referred to, else the first candidate.

    With `fallback` (no method named on the winning side) the proposed method is assumed, as
    an abstract's comparisons are about its own method ("…, outperforming Y").
    """
    keys = [m.key for m in candidates if m.key]
    if proposed and proposed in keys:
        return proposed
    if proposed and _refers_to_self(tokens):
        return proposed
    if keys:
        return keys[0]
    return proposed if fallback else None


class ClaimKinds:
    """Labels each claim span of ``doc.spans["kg_claims"]`` with its kind (keeps confidence)."""

    def __init__(self, name: str = "claim_kinds") -> None:
        self.name = name
        register_extensions()

    def __call__(self, doc: Doc) -> Doc:
        group = doc.spans.get(CLAIMS)
        if group is None:
            return doc
        spans = []
        for span in group:
            labelled = Span(doc, span.start, span.end, label=claim_kind(span))
            labelled._.set(CONFIDENCE, span._.get(CONFIDENCE))
            spans.append(labelled)
        doc.spans[CLAIMS] = SpanGroup(doc, name=CLAIMS, spans=spans, attrs=dict(group.attrs))
        return doc


def make_claim_kinds(nlp: Language, name: str) -> ClaimKinds:
    """Factory ``kg_claim_kinds_v1`` (registered in :mod:`kg.extract.claims_factories`)."""
    return ClaimKinds(name)


def build_claims(doc: Doc, mentions: Sequence[Mention]) -> tuple[list[Claim], list[Comparison]]:
    """The claims and OUTPERFORMS facts of a processed paper Doc (see :mod:`kg.extract.layout`).

    Reads ``doc.spans["kg_claims"]`` (a span's label is its kind when :class:`ClaimKinds` ran,
    else the kind is worked out here) and the paper's final `mentions` (field offsets, keys).
    """
    layout = Layout(doc)
    proposed = proposed_method(mentions)
    claims: list[Claim] = []
    comparisons: list[Comparison] = []
    for span in doc.spans.get(CLAIMS, []):
        place = layout.place(span.start_char, span.end_char)
        if place is None:
            continue
        kind = span.label_ if span.label_ in KINDS else claim_kind(span)
        confidence = float(span._.get(CONFIDENCE)) if span.has_extension(CONFIDENCE) else 1.0
        claims.append(
            Claim(
                text=span.text,
                field=place.field,
                start=place.start,
                end=place.end,
                kind=kind,
                about=claim_about(place.start, place.end, mentions, place.field),
                confidence=confidence,
                sentence=place.sentence,
            )
        )
        if kind == "comparative":
            comparisons.extend(
                find_comparisons(
                    span,
                    mentions,
                    offset=span.start_char - place.start,
                    field=place.field,
                    proposed=proposed,
                    claim=len(claims) - 1,
                    confidence=confidence,
                )
            )
    return claims, comparisons
