"""The trained claim tagger: labels every abstract sentence with its rhetorical role.

Roles are CSAbstruct's (background, objective, method, result, other); a sentence whose
``result`` probability reaches ``threshold`` is a claim. The model
(:func:`kg.extract.claims_model.build_sentence_roles_model`) reads all sentences of an abstract
at once, so a sentence is judged in its context. What the component leaves on the Doc:

- ``doc.spans["kg_sentence_roles"]``: every abstract sentence, labelled with its best role;
  ``attrs["scores"]`` holds the probability of that role per span;
- ``doc.spans["kg_claims"]`` (:data:`kg.extract.candidates.CLAIMS`): the claim sentences,
  labelled ``claim`` (the analysis component relabels them with their kind), with
  ``Span._.kg_confidence`` and ``attrs["scores"]`` = the probability of ``result``.

Only sentences of the abstract are read: when the Doc is ``title + "\\n\\n" + abstract`` (see
:mod:`kg.extract.layout`), ``doc.user_data["kg_abstract_start"]`` says where the abstract starts
and the title sentences are left out; without that key the whole Doc is the abstract.
"""

from __future__ import annotations

from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

import numpy
from spacy.language import Language
from spacy.pipeline import TrainablePipe
from spacy.tokens import Doc, Span, SpanGroup
from spacy.training import Example, validate_examples, validate_get_examples
from spacy.vocab import Vocab
from thinc.api import Config, Model, Optimizer, set_dropout_rate
from thinc.types import Floats2d

from kg.errors import ExtractionError
from kg.extract.candidates import CLAIMS, CONFIDENCE, register_extensions
from kg.extract.claims_model import set_n_labels
from kg.extract.layout import ABSTRACT_START

#: CSAbstruct's sentence roles; `result` is what paperkg calls a claim.
LABELS = ("background", "objective", "method", "result", "other")
CLAIM_ROLE = "result"
#: Span group with every abstract sentence and its predicted (or, in training data, gold) role.
ROLES_KEY = "kg_sentence_roles"
#: Label of the claim spans before :mod:`kg.extract.claims` sets their kind.
CLAIM_LABEL = "claim"

E_NO_SENTS = (
    "[kg.claims] The claim tagger needs sentence boundaries. Add a 'sentencizer' (or 'senter') "
    "before it in the pipeline: nlp.add_pipe('sentencizer', before='{name}')."
)

DEFAULT_MODEL_CONFIG = """
[model]
@architectures = "kg.SentenceRoles.v1"
hidden_width = 64
context_depth = 1
use_ngrams = true
ngram_size = 2
ngram_bits = 16
dropout = 0.2

[model.encoder]
@layers = "kg.sentence_bag.v1"
width = 64
rows = 32768
ngram_size = 2
n_position_buckets = 10
"""
DEFAULT_MODEL = Config().from_str(DEFAULT_MODEL_CONFIG)["model"]


def abstract_sentences(doc: Doc) -> List[Span]:
    """The sentences of the abstract part of `doc` (all sentences when no layout is recorded)."""
    if not len(doc):
        return []
    if not doc.has_annotation("SENT_START"):
        raise ExtractionError(E_NO_SENTS.format(name="claims"))
    start = doc.user_data.get(ABSTRACT_START, 0)
    if start < 0:
        return []
    return [s for s in doc.sents if s.start_char >= start]


def sentence_view(doc: Doc) -> Doc:
    """The abstract part of `doc` as its own Doc (the model's input: one abstract per Doc)."""
    sents = abstract_sentences(doc)
    if not sents:
        return doc[0:0].as_doc()
    if sents[0].start == 0 and sents[-1].end == len(doc):
        return doc
    return doc[sents[0].start : sents[-1].end].as_doc()


def _trim(span: Span) -> Span:
    """The span without leading or trailing whitespace tokens ("\n\nIt works." → "It works.")."""
    start, end = span.start, span.end
    while start < end and span.doc[start].is_space:
        start += 1
    while end > start and span.doc[end - 1].is_space:
        end -= 1
    return span.doc[start:end]


class ClaimTagger(TrainablePipe):
    """Labels abstract sentences with their role and marks the `result` ones as claims."""

    def __init__(
        self,
        vocab: Vocab,
        model: Model[List[Doc], List[Floats2d]],
        name: str = "claims",
        *,
        labels: Sequence[str] = LABELS,
        threshold: float = 0.5,
        scorer: Optional[Callable] = None,
    ) -> None:
        self.vocab = vocab
        self.model = model
        self.name = name
        self.cfg = {"labels": list(labels), "threshold": threshold}
        self.scorer = scorer

    @property
    def labels(self) -> Tuple[str, ...]:
        return tuple(self.cfg["labels"])

    @property
    def threshold(self) -> float:
        return float(self.cfg["threshold"])

    def _views(self, docs: Iterable[Doc]) -> List[Doc]:
        return [sentence_view(doc) for doc in docs]

    def predict(self, docs: Iterable[Doc]) -> List[Floats2d]:
        views = self._views(docs)
        if not any(len(v) for v in views):
            return [self.model.ops.alloc2f(0, len(self.labels)) for _ in views]
        return self.model.predict(views)

    def set_annotations(self, docs: Iterable[Doc], scores: List[Floats2d]) -> None:
        claim_col = self.labels.index(CLAIM_ROLE)
        for doc, probs in zip(docs, scores):
            probs = self.model.ops.to_numpy(probs)
            # one row per abstract sentence, in order (the model read the same sentences)
            rows = [(_trim(s), p) for s, p in zip(abstract_sentences(doc), probs) if s.text.strip()]
            roles = [Span(doc, s.start, s.end, label=self.labels[int(p.argmax())]) for s, p in rows]
            doc.spans[ROLES_KEY] = SpanGroup(
                doc, name=ROLES_KEY, spans=roles, attrs={"scores": [float(p.max()) for _, p in rows]}
            )
            claims, claim_scores = [], []
            for sent, p in rows:
                if p[claim_col] >= self.threshold:
                    span = Span(doc, sent.start, sent.end, label=CLAIM_LABEL)
                    span._.set(CONFIDENCE, float(p[claim_col]))
                    claims.append(span)
                    claim_scores.append(float(p[claim_col]))
            doc.spans[CLAIMS] = SpanGroup(
                doc, name=CLAIMS, spans=claims, attrs={"scores": claim_scores}
            )

    def _gold_rows(self, eg: Example, n_sents: int) -> numpy.ndarray:
        """One-hot gold roles for the predicted abstract sentences of an example.

        Each predicted sentence takes the role of the gold sentence it overlaps most.
        """
        pred_sents = abstract_sentences(eg.predicted)
        gold = [(s.start_char, s.end_char, s.label_) for s in eg.reference.spans.get(ROLES_KEY, [])]
        truth = numpy.zeros((n_sents, len(self.labels)), dtype="f")
        for i, sent in enumerate(pred_sents[:n_sents]):
            overlaps = [
                (min(sent.end_char, e) - max(sent.start_char, s), label) for s, e, label in gold
            ]
            overlap, label = max(overlaps, default=(0, None))
            if overlap > 0 and label in self.labels:
                truth[i, self.labels.index(label)] = 1.0
        return truth

    def get_loss(self, examples: Iterable[Example], scores: List[Floats2d]) -> Tuple[float, List[Floats2d]]:
        """Cross-entropy over sentences, averaged over the docs of the batch; the gradient is
        w.r.t. the softmax's input."""
        examples = list(examples)
        grads, loss = [], 0.0
        n_docs = max(len(examples), 1)
        for eg, probs in zip(examples, scores):
            truth = self.model.ops.asarray2f(self._gold_rows(eg, probs.shape[0]))
            known = truth.sum(axis=1, keepdims=True)
            grads.append((probs - truth) * known / n_docs)
            loss += float(-(self.model.ops.xp.log(probs + 1e-9) * truth).sum())
        return loss, grads

    def update(
        self,
        examples: Iterable[Example],
        *,
        drop: float = 0.0,
        sgd: Optional[Optimizer] = None,
        losses: Optional[Dict[str, float]] = None,
    ) -> Dict[str, float]:
        if losses is None:
            losses = {}
        losses.setdefault(self.name, 0.0)
        examples = list(examples)
        validate_examples(examples, "ClaimTagger.update")
        views = self._views(eg.predicted for eg in examples)
        if not any(len(v) for v in views):
            return losses
        set_dropout_rate(self.model, drop)
        scores, bp_scores = self.model.begin_update(views)
        loss, d_scores = self.get_loss(examples, scores)
        bp_scores(d_scores)
        if sgd is not None:
            self.finish_update(sgd)
        losses[self.name] += loss
        return losses

    def initialize(
        self, get_examples: Callable[[], Iterable[Example]], *, nlp: Optional[Language] = None
    ) -> None:
        validate_get_examples(get_examples, "ClaimTagger.initialize")
        set_n_labels(self.model, len(self.labels))
        sample = [eg.predicted for _, eg in zip(range(10), get_examples())]
        views = self._views(sample)
        self.model.initialize(X=views)

    def add_label(self, label: str) -> int:
        raise NotImplementedError("[kg.claims] The roles are fixed: set them with `labels`.")


def make_claim_tagger(
    nlp: Language,
    name: str,
    model: Model[List[Doc], List[Floats2d]],
    labels: List[str],
    threshold: float,
    scorer: Optional[Callable],
) -> ClaimTagger:
    """Factory ``kg_claims_v1`` (registered in :mod:`kg.extract.claims_factories`)."""
    register_extensions()
    return ClaimTagger(nlp.vocab, model, name, labels=labels, threshold=threshold, scorer=scorer)


def score_claims(examples: Iterable[Example], **kwargs) -> Dict[str, float]:
    """Claim P/R/F1 by sentence coverage (see :mod:`kg.evaluate.claims`) and role accuracy."""
    from kg.evaluate.claims import match_claims

    n_gold = n_found = n_pred = n_correct = 0
    n_sents = n_role_ok = 0
    for eg in examples:
        gold = [(s.start_char, s.end_char, s.label_) for s in eg.reference.spans.get(ROLES_KEY, [])]
        gold_results = [(s, e) for s, e, label in gold if label == CLAIM_ROLE]
        pred = [(s.start_char, s.end_char) for s in eg.predicted.spans.get(CLAIMS, [])]
        found, correct = match_claims(gold_results, pred)
        n_gold += len(gold_results)
        n_found += found
        n_pred += len(pred)
        n_correct += correct
        pred_roles = [(s.start_char, s.end_char, s.label_) for s in eg.predicted.spans.get(ROLES_KEY, [])]
        for s, e, label in gold:
            n_sents += 1
            overlaps = [(min(e, pe) - max(s, ps), pl) for ps, pe, pl in pred_roles]
            if max(overlaps, default=(0, None))[1] == label:
                n_role_ok += 1
    p = n_correct / n_pred if n_pred else 0.0
    r = n_found / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {
        "claims_p": p,
        "claims_r": r,
        "claims_f": f,
        "roles_acc": n_role_ok / n_sents if n_sents else 0.0,
    }


def make_claims_scorer() -> Callable:
    """Scorer ``kg.claims_scorer.v1``."""
    return score_claims
