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
- **comparison**: for a comparative claim that names a winner, one OUTPERFORMS fact per beaten
  method, with the first dataset and metric the sentence names. Both sides must be specific
  methods (:func:`is_specific`: a name with a digit, an inner capital, an acronym, a capital
  that does not start the sentence, or a known method written in lower case such as "gradient
  descent"); "relevant baselines", "iterative approaches", "listed models", "open-source LLMs"
  are not. The winner is the subject of the clause before the cue (:meth:`_Sentence.subject`):
  a specific Method mention, or the paper's proposed method when the subject is "our method",
  "we", "it", "the proposed approach" — and only if that method has a name
  (:func:`proposed_method`). The beaten methods are the list that is the object of the cue
  (:meth:`_Sentence.objects`): "X, Y and Z", "baselines (e.g., X, Y)", "such as X", up to the
  first adjunct or clause ("on", "by learning", "with", "while", a comma no method follows).
  A passive ("Y is outperformed by X") and a fronted comparison ("Compared to Y, X …") are
  read the right way round. "Outperforms existing methods" has no entity to point an
  OUTPERFORMS edge at, and a comparison that names no winner ("smaller than", "vs", a bare
  "compared to") makes a comparative claim but no fact.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Collection, Iterable, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span, SpanGroup

from kg.extract.candidates import CLAIMS, CONFIDENCE, doc_text, register_extensions
from kg.extract.layout import Layout, title_text
from kg.extract.title_method import title_name
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

_SELF = frozenset({"our", "ours", "we", "it", "its", "proposed"})
_SELF_NOUNS = frozenset(
    "method methods approach approaches model models framework system algorithm network "
    "architecture technique scheme pipeline solution estimator classifier".split()
)

#: Methods usually written in lower case (singular, one space between words): a mention that
#: contains one names a particular method without a capital ("plain gradient descent").
KNOWN_METHODS: tuple[str, ...] = (
    "gradient descent", "stochastic gradient descent", "coordinate descent", "mirror descent",
    "conjugate gradient", "proximal gradient", "gradient boosting", "random forest",
    "decision tree", "logistic regression", "linear regression", "ridge regression",
    "support vector machine", "nearest neighbor", "nearest neighbour", "naive bayes",
    "grid search", "random search", "beam search", "greedy search", "greedy decoding",
    "random selection", "random sampling", "uniform sampling", "importance sampling",
    "simulated annealing", "genetic algorithm", "branch and bound", "branch and price",
    "branch and cut", "dynamic programming", "expectation maximization", "variational inference",
    "belief propagation", "label propagation", "gibbs sampling", "spectral clustering",
    "matrix factorization", "collaborative filtering", "principal component analysis",
    "behavioral cloning", "behavior cloning", "behavioural cloning", "policy gradient",
    "q learning", "actor critic", "knowledge distillation", "self distillation", "fine tuning",
    "finetuning", "linear probing", "prompt tuning", "prefix tuning", "in context learning",
    "chain of thought", "dropout", "label smoothing", "mixup", "batch normalization",
    "layer normalization", "weight averaging", "magnitude pruning", "federated averaging",
    "transformer", "autoencoder", "recurrent neural network", "convolutional neural network",
    "graph neural network", "graph convolutional network", "multi layer perceptron",
    "multilayer perceptron", "long short term memory", "generative adversarial network",
    "hidden markov model", "conditional random field",
)
#: Acronyms that name a kind of model or a field, not a method ("open-source LLMs").
GENERIC_ACRONYMS = frozenset(
    "sota soa ai ml dl nn nns dnn dnns lm lms llm llms plm plms mllm mllms vlm vlms".split()
)
_NOT_PLURAL_ENDINGS = ("ss", "us", "is")
#: Generic head words that may follow a known method ("the branch-and-price algorithm").
_HEADS = frozenset(
    "algorithm method approach model framework technique scheme procedure baseline variant "
    "solver optimizer classifier network architecture strategy implementation".split()
)

#: After a cue, the beaten methods stop at the first of these (outside a mention): the object
#: of "outperforms" ends where an adjunct or another clause begins ("… on GLUE", "… by 3%").
_OBJECT_STOPS = frozenset(
    "on in at by for with without under across during when where while whereas which who "
    "whose whom to from into onto through via using within after before since because if "
    "although though but yet so thus hence even especially particularly notably mainly "
    "respectively than ; : . ! ?".split()
)
#: Words that join the beaten methods into one list ("X, Y and Z", "baselines (e.g., X, Y)").
_LIST_WORDS = frozenset(
    ", and or both either as well e.g. e.g i.e. i.e eg ie including like such ( ) [ ]".split()
)
#: Words that end the subject of a comparison, read backwards from the cue.
_SUBJECT_BREAKS = frozenset("that how ; : whereas while but which although though".split())
#: Verbs after which "that" opens the clause with the comparison ("results show that X …").
_REPORTING = (
    "show", "demonstrat", "reveal", "verif", "find", "found", "indicat", "suggest", "confirm",
    "prov", "observ", "note", "illustrat", "establish", "conclud", "report", "see", "seen",
)
#: A phrase opened by one of these is no subject ("for BERT pre-training, our method …").
_PREPOSITIONS = frozenset(
    "in on at for with by from under across during through via using over within after before "
    "among between into without per about toward towards unlike besides despite beyond".split()
)
#: Openings of a sentence that reports the paper's own experiments: "…, outperforming Y"
#: there is about the proposed method.
_RESULT_OPENERS = frozenset(
    "experiments experimental results evaluations evaluation empirical extensive "
    "experimentally empirically".split()
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


def _words_of(text: str) -> list[str]:
    words = re.findall(r"[a-z0-9]+", text.lower().replace("'s", ""))
    return [
        w[:-1] if len(w) > 3 and w.endswith("s") and not w.endswith(_NOT_PLURAL_ENDINGS) else w
        for w in words
    ]


_KNOWN = frozenset(tuple(_words_of(term)) for term in KNOWN_METHODS)
_KNOWN_LONGEST = max(len(term) for term in _KNOWN)


def is_known_method(text: str) -> bool:
    """Whether `text` contains a method of :data:`KNOWN_METHODS` ("exact branch-and-price
    algorithm", "plain gradient descent", "convolutional neural networks")."""
    words = _words_of(text)
    for n in range(1, _KNOWN_LONGEST + 1):
        for i in range(len(words) - n + 1):
            # the method must be the head, or followed by generic words only: not the
            # "fine-tuning" of "fine-tuning-free pruning methods"
            if tuple(words[i : i + n]) in _KNOWN and all(w in _HEADS for w in words[i + n :]):
                return True
    return False


def is_named(text: str, *, title: bool = False, sentence_initial: bool = False) -> bool:
    """Whether a Method mention carries a name: a digit (ResNet-50), a capital inside a word
    (FedHyper, LoRA, CNNs), a one-letter prefix (k-means, U-Net), or, outside the title, a
    capitalised word that does not start the sentence (Adam, Transformer). Title case says
    nothing, so in the title only the first three count. Acronyms of kinds of models
    (:data:`GENERIC_ACRONYMS`: "LLMs", "SOTA") are no name."""
    for i, word in enumerate(text.split()):
        word = word.strip("()[]{},.;:'\"")
        parts = [p for p in re.split(r"[-/]", word) if p]
        if not parts:
            continue
        if word.lower() in GENERIC_ACRONYMS:
            continue
        if not any(c.isalpha() for c in word):
            continue  # "+20.7%", "(1)"
        if any(c.isdigit() for c in word):
            return True
        if any(any(c.isupper() for c in p[1:]) for p in parts):
            return True
        if len(parts) > 1 and len(parts[0]) == 1 and parts[0].isalpha():
            return True
        if not title and word[:1].isupper() and not (i == 0 and sentence_initial):
            return True
    return False


def is_specific(text: str, **where: bool) -> bool:
    """Whether a Method mention names one particular method: :func:`is_named` or
    :func:`is_known_method`. "relevant baselines", "iterative approaches", "listed models",
    "deep learning frameworks" are not."""
    return is_named(text, **where) or is_known_method(text)


def named_keys(doc: Doc, mentions: Sequence[Mention]) -> frozenset[str]:
    """Keys of the Method mentions of a paper Doc that carry a name (:func:`is_named`) in at
    least one place; the coined name before a title's colon ("Fira: Can We …") counts."""
    layout = Layout(doc)
    starts = set()
    for sent in doc.sents:
        place = layout.place(sent.start_char, sent.end_char)
        if place is not None:
            starts.add((place.field, place.start))
    coined = title_name(title_text(doc))
    keys = set()
    for m in mentions:
        if m.label != "Method" or not m.key or m.key in keys:
            continue
        own = coined is not None and m.field == "title" and m.start == 0 and m.text == coined[0]
        if own or is_named(m.text, title=m.field == "title",
                           sentence_initial=(m.field, m.start) in starts):
            keys.add(m.key)
    return frozenset(keys)


def proposed_method(
    mentions: Sequence[Mention], named: Collection[str] | None = None
) -> str | None:
    """The key of the paper's own method, if it has a name: the first named Method with role
    ``proposed`` (abstract or title), else the first named Method in the title.

    `named` holds the keys that carry a name (:func:`named_keys`); without it each mention's
    text is judged alone. A method the paper calls "a flexible method" or "the training
    method" has no name to put in the graph, so comparisons made by "our method" then have no
    winner."""
    def has_name(m: Mention) -> bool:
        if named is not None:
            return m.key in named
        return is_named(m.text, title=m.field == "title")

    methods = [m for m in mentions if m.label == "Method" and m.key and has_name(m)]
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


def _is_fragment(text: str, start: int, end: int) -> bool:
    """Whether ``text[start:end]`` is part of a longer word ("SFT" in "Tulu3-SFT")."""
    before = text[start - 2 : start] if start >= 2 else " " + text[:start]
    after = text[end : end + 2]
    glued_before = before[-1:].isalnum() or (before[-1:] == "-" and before[:1].isalnum())
    glued_after = after[:1].isalnum() or (after[:1] == "-" and after[1:2].isalnum())
    return glued_before or glued_after


class _Sentence:
    """The Method mentions of one claim sentence, placed on its tokens."""

    def __init__(self, sent: Span, mentions: Sequence[Mention], offset: int, field: str) -> None:
        self.sent, self.doc, self.offset = sent, sent.doc, offset
        text = doc_text(self.doc)
        self.at: dict[int, tuple[int, Mention]] = {}  # first token → (end token, mention)
        self.cover: dict[int, Mention] = {}
        inside = mentions_in(sent.start_char - offset, sent.end_char - offset, mentions, field)
        self.inside = inside
        for m in inside:
            if m.label != "Method" or not m.key:
                continue
            if _is_fragment(text, m.start + offset, m.end + offset):
                continue
            span = self.doc.char_span(m.start + offset, m.end + offset, alignment_mode="expand")
            if span is None or span.start in self.at:
                continue
            self.at[span.start] = (span.end, m)
            for i in range(span.start, span.end):
                self.cover[i] = m

    def is_stop(self, i: int) -> bool:
        tok = self.doc[i]
        low = tok.lower_
        nxt = self.doc[i + 1].lower_ if i + 1 < self.sent.end else ""
        if low == "-" and i > 0 and self.doc[i - 1].whitespace_:
            return True  # a dash, not a hyphen inside a word
        if low == "that":
            return nxt != "of"  # "better than that of X"
        if low == "as":
            return self.doc[i - 1].lower_ not in {"such", "well"} and nxt != "well"
        if low == "by" and any(c.isdigit() for c in nxt):
            return False  # "outperforms X by +12.0% and Y by +20.7%": the list goes on
        return low in _OBJECT_STOPS

    def objects(self, start: int, end: int, specific: Collection[str]) -> list[Mention]:
        """The specific Method mentions of the list that is the object of a cue, from token
        `start` up to token `end`: "outperforms traditional RFNNs and end-to-end trained MLP
        ResNets, while …" → RFNNs, MLP ResNets. The list ends at a stop word
        (:data:`_OBJECT_STOPS`), at a comma that no method follows, or where two methods are
        not joined by a list word ("and", ",", "e.g.", "such as" …) with at most two other
        words ("and the state-of-the-art X"; not "and reduces …"). A later "against" opens
        another list ("…, including against recent variants such as DoRA")."""
        found: list[Mention] = []
        i, gap_start, fresh = start, start, True
        while i < end:
            if i in self.at and self.at[i][1].key in specific:
                stop, m = self.at[i]
                gap = self.doc[gap_start:i]
                joined = any(t.lower_ in _LIST_WORDS for t in gap)
                words = [w.strip(",()[]") for w in gap.text.split()]
                other = [w for w in words if w and w.lower() not in _LIST_WORDS
                         and w != "by" and not any(c.isdigit() for c in w)]
                verb = any(a.lower_ in {"and", "or"} and b.is_lower and b.is_alpha and len(b) > 3
                           and b.lower_.endswith(("s", "ed")) for a, b in zip(gap, gap[1:]))
                if not fresh and (len(other) > 2 or not joined or verb):
                    break  # not one list: "X by 5% and reduces the cost of Y"
                found.append(m)
                i, gap_start, fresh = stop, stop, False
                continue
            tok = self.doc[i]
            if i not in self.cover and (
                self.is_stop(i) or (tok.text == "," and not self._list_goes_on(i + 1, end))
            ):
                later = next((j for j in range(i, end) if self.doc[j].lower_ == "against"
                              and j not in self.cover), None)
                if later is None:
                    break
                i = gap_start = later + 1
                fresh = True
                continue
            i += 1
        return found

    def _list_goes_on(self, i: int, end: int, window: int = 4) -> bool:
        """After a comma: whether a Method mention follows before a stop ("X, Y and Z")."""
        for j in range(i, min(end, i + window)):
            if j in self.at:
                return True
            if self.is_stop(j):
                return False
        return False

    def subject(
        self, cue_start: int, proposed: str | None, specific: Collection[str]
    ) -> str | None:
        """The winner named before the cue, read from the start of its clause: the first
        specific Method mention or self-reference ("our method", "we", "it", "the proposed
        …": the proposed method; "our shallow PBN variant": that mention). Generic mentions are
        passed over, and so is a phrase that a preposition opens ("for BERT pre-training, our
        optimizer …") up to the next comma."""
        region = self.region_before(cue_start)
        keys = [self.cover[i].key for i in region if i in self.cover]
        if proposed and proposed in keys:
            return proposed
        adverbial = False
        for i in region:
            tok = self.doc[i]
            m = self.cover.get(i)
            if m is None and tok.text == ",":
                adverbial = False
            elif m is None and tok.lower_ in _PREPOSITIONS:
                adverbial = True
            elif adverbial:
                continue
            elif m is not None:
                if m.key in specific:
                    return m.key
            elif self._is_self(i):
                own = next((self.cover[j].key for j in range(i + 1, min(i + 4, cue_start))
                            if j in self.cover and self.cover[j].key in specific), None)
                return own or proposed
        return None

    def _is_self(self, i: int) -> bool:
        """Whether token `i` starts a reference to the paper's own method ("our", "we", "it",
        "the proposed", "this method")."""
        word = self.doc[i].lower_
        return word in _SELF | {"this", "the"} and _refers_to_self(self.doc[i : i + 2])

    def region_before(self, cue_start: int) -> list[int]:
        """Tokens of the clause before the cue: from the last clause break ("that" after a
        reporting verb, "how", ";", "while" …). A "which" right before the cue ("results which
        surpass Y") refers back, so the clause before it counts."""
        start = self.sent.start
        for i in range(cue_start - 1, self.sent.start - 1, -1):
            low = self.doc[i].lower_
            if i in self.cover or low not in _SUBJECT_BREAKS:
                continue
            if low == "that" and not (i > self.sent.start
                                      and self.doc[i - 1].lower_.startswith(_REPORTING)):
                continue  # "solutions that are …" is no clause of its own
            if low == "which" and not any(j in self.cover or self._is_self(j)
                                          for j in range(i + 1, cue_start)):
                continue
            start = i + 1
            break
        return list(range(start, cue_start))

    def first_winner(self, start: int, end: int, proposed: str | None,
                     specific: Collection[str]) -> str | None:
        """The winner named after `start` ("… is outperformed by X", "Compared to Y, X …"):
        the first self-reference or specific Method mention, up to a stop."""
        for i in range(start, end):
            m = self.cover.get(i)
            if m is not None and (m.key in specific or m.key == proposed):
                return m.key
            if m is None and self._is_self(i):
                return proposed
            if m is None and self.is_stop(i) and i > start:
                break
        return None


def find_comparisons(
    sent: Span,
    mentions: Sequence[Mention],
    *,
    offset: int = 0,
    field: str = "abstract",
    proposed: str | None = None,
    claim: int = 0,
    confidence: float = 1.0,
    specific: Collection[str] | None = None,
) -> list[Comparison]:
    """OUTPERFORMS facts stated by one sentence: one per beaten method.

    Both sides must be specific methods (:func:`is_specific`): the winner is the paper's
    proposed method (when the subject refers to it: "our method", "we", "it") or a specific
    Method mention; the beaten ones are the specific Method mentions of the object list
    (:meth:`_Sentence.objects`). `mentions` carry offsets into `field`; `offset` is where that
    field starts in the Doc of `sent` (0 when the Doc is the field). `proposed` is the key of
    the paper's own method (see :func:`proposed_method`). `claim` is the claim's index in the
    Extraction. `specific` holds the keys that name a method (:func:`named_keys`, plus known
    methods); without it each mention in the sentence is judged by its own text.
    """
    cue = outperform_cue(sent)
    if cue is None:
        return []
    doc = sent.doc
    s = _Sentence(sent, mentions, offset, field)
    if specific is None:
        start = sent.start_char - offset
        specific = {m.key for m in s.inside if m.label == "Method" and m.key and is_specific(
            m.text, title=m.field == "title", sentence_initial=m.start == start)}
    specific = set(specific) | {
        m.key for m in s.inside if m.label == "Method" and m.key and is_known_method(m.text)
    }
    clause_end = next(
        (t.i for t in doc[cue.end : sent.end] if t.lower_ in _CLAUSE_BREAKS), sent.end
    )

    if cue.fronted:
        comma = next((t.i for t in doc[cue.end : sent.end] if t.text == ","), None)
        if comma is None:
            return []
        beaten = [m for i, (_, m) in sorted(s.at.items()) if cue.end <= i < comma]
        winner = s.first_winner(comma + 1, sent.end, proposed, specific)
    elif cue.passive:
        region = s.region_before(cue.start)
        beaten = [m for i, (_, m) in sorted(s.at.items()) if i in region]
        winner = s.first_winner(cue.end, clause_end, proposed, specific)
    else:
        beaten = s.objects(cue.end, clause_end, specific)
        winner = s.subject(cue.start, proposed, specific)
        participle = doc[cue.start].lower_.endswith("ing")
        unnamed = not any(i in s.cover for i in s.region_before(cue.start))
        if winner is None and participle and unnamed:
            # "Experiments show consistent gains, outperforming Y": about the paper's own method
            left = doc[sent.start : cue.start]
            if _refers_to_self(left) or (len(left) and left[0].lower_ in _RESULT_OPENERS):
                winner = proposed
    if winner is None:
        return []
    cue_start = doc[cue.start].idx - offset
    dataset = next((m.key for m in s.inside if m.label == "Dataset" and m.start >= cue_start), None)
    dataset = dataset or next((m.key for m in s.inside if m.label == "Dataset"), None)
    metric = next((m.key for m in s.inside if m.label == "Metric"), None)
    out: list[Comparison] = []
    for base in beaten:
        if base.key not in specific or base.key == winner:
            continue
        if winner == proposed and base.role == "proposed":
            continue  # the paper's own method under another name ("the proposed AdaEA")
        if all(c.baseline != base.key for c in out):
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
    named = named_keys(doc, mentions)
    proposed = proposed_method(mentions, named)
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
                    specific=named,
                )
            )
    return claims, comparisons
