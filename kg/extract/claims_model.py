"""The thinc model behind the claim tagger: one label per sentence, read in the abstract's context.

A sentence alone says little about whether it reports a result ("The approach is simple and
effective." is a result at the end of an abstract and a motivation at its start). The model
therefore classifies every sentence of a document at once:

1. a sentence encoder turns each sentence into a vector and appends its place in the abstract
   (relative position buckets, first/last, length): :func:`sentence_bag` (mean of hashed
   n-gram embeddings, the default), :func:`sentence_pooler` (mean/max pooling over any spaCy
   ``tok2vec``) or :func:`sentence_glove` (pooled pretrained word vectors from
   ``doc.vocab.vectors``, beside the bag; tried, not shipped: see docs/claims.md);
2. a bidirectional LSTM runs over the sentence sequence, so each sentence sees its neighbours
   and, through them, what the preceding sentences were (background → method → result);
3. a linear model over the sentence's hashed unigrams and bigrams (:func:`sentence_ngrams`)
   adds the lexical cues ("results show", "outperforms", numbers) directly to the scores;
4. a softmax gives one probability per label for every sentence.

Input: ``List[Doc]`` with sentence boundaries set. Output: one ``(n_sentences, n_labels)`` array
per doc.
"""

from __future__ import annotations

from typing import List, Optional, Tuple, cast

import numpy
from spacy.attrs import LIKE_NUM, LOWER, ORTH
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import LSTM, Linear, Maxout, Model, SparseLinear_v2, chain, with_array, with_padded
from thinc.types import ArrayXd, Floats2d, Ints1d

from kg.errors import ExtractionError

#: Columns appended to each pooled sentence by :func:`position_features` (besides the buckets).
N_EXTRA_POSITION_FEATURES = 6


def position_features(n_sents: int, lengths: numpy.ndarray, n_buckets: int) -> numpy.ndarray:
    """Where each sentence sits in its document, as a ``(n_sents, n_buckets + 6)`` float array.

    Columns: one-hot bucket of the relative position, then relative position, is-first,
    is-last, is-second-to-last, log sentence length and log number of sentences (both scaled).
    """
    feats = numpy.zeros((n_sents, n_buckets + N_EXTRA_POSITION_FEATURES), dtype="f")
    if n_sents == 0:
        return feats
    rel = numpy.arange(n_sents, dtype="f") / max(n_sents - 1, 1)
    buckets = numpy.minimum((rel * n_buckets).astype("i"), n_buckets - 1)
    feats[numpy.arange(n_sents), buckets] = 1.0
    feats[:, n_buckets] = rel
    feats[0, n_buckets + 1] = 1.0
    feats[-1, n_buckets + 2] = 1.0
    if n_sents >= 2:
        feats[-2, n_buckets + 3] = 1.0
    feats[:, n_buckets + 4] = numpy.log1p(lengths.astype("f")) / 4.0
    feats[:, n_buckets + 5] = numpy.log1p(n_sents) / 3.0
    return feats


def sentence_bounds(doc: Doc) -> List[Tuple[int, int]]:
    """Token bounds ``(start, end)`` of the doc's sentences (together they cover every token)."""
    return [(s.start, s.end) for s in doc.sents] if len(doc) else []


@registry.layers("kg.sentence_pooler.v1")
def sentence_pooler(
    tok2vec: Model[List[Doc], List[Floats2d]], n_position_buckets: int = 10
) -> Model[List[Doc], List[Floats2d]]:
    """Mean- and max-pool token vectors per sentence and append :func:`position_features`."""
    return Model(
        "sentence_pooler",
        _pooler_forward,
        layers=[tok2vec],
        init=_pooler_init,
        dims={"nO": None},
        attrs={"n_position_buckets": n_position_buckets},
    )


def _pooler_init(model: Model, X=None, Y=None) -> Model:
    tok2vec = model.layers[0]
    tok2vec.initialize(X=X)
    width = tok2vec.get_dim("nO")
    n_buckets = model.attrs["n_position_buckets"]
    model.set_dim("nO", 2 * width + n_buckets + N_EXTRA_POSITION_FEATURES)
    return model


def _pooler_forward(model: Model, docs: List[Doc], is_train: bool):
    tok2vec = model.layers[0]
    ops = model.ops
    n_buckets = model.attrs["n_position_buckets"]
    tokvecs, bp_tokvecs = tok2vec(docs, is_train)
    width = tok2vec.get_dim("nO")
    outputs: List[Floats2d] = []
    saved: List[Tuple[Ints1d, Ints1d, int]] = []
    for doc, X in zip(docs, tokvecs):
        bounds = sentence_bounds(doc)
        n_pos = n_buckets + N_EXTRA_POSITION_FEATURES
        if not bounds:
            outputs.append(ops.alloc2f(0, 2 * width + n_pos))
            saved.append((ops.alloc1i(0), ops.alloc2i(0, width), X.shape[0]))
            continue
        lengths_np = numpy.asarray([e - s for s, e in bounds], dtype="i")
        lengths = ops.asarray1i(lengths_np)
        mean = ops.reduce_mean(X, lengths)
        maxed, which = ops.reduce_max(X, lengths)
        pos = ops.asarray2f(position_features(len(bounds), lengths_np, n_buckets))
        outputs.append(ops.xp.hstack([mean, maxed, pos]))
        saved.append((lengths, which, X.shape[0]))

    def backprop(dYs: List[Floats2d]) -> List[Doc]:
        dXs = []
        for dY, (lengths, which, n_tokens) in zip(dYs, saved):
            if lengths.shape[0] == 0:
                dXs.append(ops.alloc2f(n_tokens, width))
                continue
            d_mean = ops.as_contig(dY[:, :width])
            d_max = ops.as_contig(dY[:, width : 2 * width])
            dX = ops.backprop_reduce_mean(d_mean, lengths)
            dX += ops.backprop_reduce_max(d_max, which, lengths)
            dXs.append(dX)
        return bp_tokvecs(dXs)

    return outputs, backprop


@registry.layers("kg.sentence_ngrams.v1")
def sentence_ngrams(ngram_size: int = 2) -> Model[List[Doc], Tuple[ArrayXd, List[int]]]:
    """Hashed lower-case n-gram ids per sentence, in the ``(keys, values, lengths)`` form that
    thinc's ``SparseLinear`` reads, plus the number of sentences of each doc.

    Numbers are folded into one token so that "92.3%" and "71.0%" share their evidence.
    """
    return Model("sentence_ngrams", _ngrams_forward, attrs={"ngram_size": ngram_size})


#: Mixed into the first word's id to make a "sentence starts with" feature ("We", "Results").
_BOS = numpy.uint64(0x9E3779B97F4A7C15)


def _sentence_keys(ids: numpy.ndarray, size: int) -> numpy.ndarray:
    grams = [ids, ids[:1] ^ _BOS]
    for n in range(2, size + 1):
        if len(ids) >= n:
            combined = ids[: len(ids) - n + 1].copy()
            for k in range(1, n):
                combined = (combined * numpy.uint64(1000003)) ^ ids[k : len(ids) - n + 1 + k]
            grams.append(combined)
    return numpy.unique(numpy.concatenate(grams))


def _ngrams_forward(model: Model, docs: List[Doc], is_train: bool):
    size = model.attrs["ngram_size"]
    keys_all: List[numpy.ndarray] = []
    lengths: List[int] = []
    counts: List[int] = []
    for doc in docs:
        bounds = sentence_bounds(doc)
        counts.append(len(bounds))
        if not bounds:
            continue
        arr = doc.to_array([LOWER, LIKE_NUM]).astype("uint64")
        ids = numpy.where(arr[:, 1] == 1, numpy.uint64(1), arr[:, 0])
        for start, end in bounds:
            keys = _sentence_keys(ids[start:end], size)
            keys_all.append(keys)
            lengths.append(len(keys))
    keys = numpy.concatenate(keys_all) if keys_all else numpy.zeros((0,), dtype="uint64")
    ops = model.ops
    feats = (
        ops.asarray(keys, dtype="uint64"),
        ops.asarray1f(numpy.ones((len(keys),), dtype="f")),
        ops.asarray1i(numpy.asarray(lengths, dtype="i")),
    )
    return (feats, counts), lambda d: []


@registry.layers("kg.sentence_bag.v1")
def sentence_bag(
    width: int = 64, rows: int = 32768, ngram_size: int = 2, n_position_buckets: int = 10
) -> Model[List[Doc], List[Floats2d]]:
    """A sentence as the mean of its hashed n-gram embeddings (fastText style), followed by
    :func:`position_features`. Cheaper than a token CNN and as good on ~1,700 abstracts."""
    from thinc.api import HashEmbed

    return Model(
        "sentence_bag",
        _bag_forward,
        layers=[sentence_ngrams(ngram_size), HashEmbed(width, rows, column=0)],
        dims={"nO": width + n_position_buckets + N_EXTRA_POSITION_FEATURES},
        attrs={"n_position_buckets": n_position_buckets},
        init=_bag_init,
    )


def _bag_init(model: Model, X=None, Y=None) -> Model:
    model.layers[1].initialize()
    return model


def _bag_forward(model: Model, docs: List[Doc], is_train: bool):
    ngrams, embed = model.layers
    ops = model.ops
    n_buckets = model.attrs["n_position_buckets"]
    (feats, counts), _ = ngrams(docs, is_train)
    keys, _, lengths = feats
    width = embed.get_dim("nO")
    if keys.shape[0] == 0:
        return [ops.alloc2f(n, model.get_dim("nO")) for n in counts], lambda d: []
    vecs, bp_vecs = embed(ops.xp.ascontiguousarray(keys.reshape((-1, 1))), is_train)
    pooled = ops.reduce_mean(vecs, lengths)
    positions = []
    for doc in docs:
        bounds = sentence_bounds(doc)
        n_tokens = numpy.asarray([e - s for s, e in bounds], dtype="i")
        positions.append(position_features(len(bounds), n_tokens, n_buckets))
    pos = ops.asarray2f(numpy.vstack(positions))
    outputs = ops.xp.hstack([pooled, pos])
    splits = numpy.cumsum(counts)[:-1]

    def backprop(d_outputs: List[Floats2d]) -> List[Doc]:
        d_pooled = ops.as_contig(ops.xp.vstack(d_outputs)[:, :width])
        bp_vecs(ops.backprop_reduce_mean(d_pooled, lengths))
        return []

    return list(ops.xp.split(outputs, splits)), backprop


#: What :func:`sentence_glove` pools over a sentence's word vectors.
GLOVE_POOLING = ("mean", "mean_max")


@registry.layers("kg.sentence_glove.v1")
def sentence_glove(
    bag: Optional[Model[List[Doc], List[Floats2d]]] = None,
    pooling: str = "mean",
    projection: int = 0,
    n_position_buckets: int = 10,
    fine_tune: bool = False,
) -> Model[List[Doc], List[Floats2d]]:
    """A sentence as the pooled pretrained word vectors of its tokens (``doc.vocab.vectors``,
    e.g. GloVe loaded with ``[initialize] vectors``), next to a hashed-bag vector.

    Each token's row is found by its ORTH (``vocab.vectors.find``); unknown tokens are left
    out of the pool, and a sentence with no known token pools to zeros. ``pooling`` is
    ``"mean"`` or ``"mean_max"``. The vectors stay fixed unless ``fine_tune`` (then the model
    keeps its own trainable copy of the table, initialised from the vocab's and saved with the
    model); with ``projection > 0`` every token vector first goes through a trainable
    ``Linear(projection)`` (before the pooling, so the max reads projected features). Output per sentence: ``bag``'s vector (which ends with the
    position features) followed by the pooled vectors, or, without ``bag``, the pooled vectors
    followed by :func:`position_features`.
    """
    if pooling not in GLOVE_POOLING:
        raise ExtractionError(f"sentence_glove: pooling {pooling!r}: expected one of {', '.join(GLOVE_POOLING)}")
    layers: List[Model] = []
    refs = {}
    if bag is not None:
        layers.append(bag)
        refs["bag"] = bag
    if projection:
        proj = Linear(nO=projection)
        layers.append(proj)
        refs["projection"] = proj
    return Model(
        "sentence_glove",
        _glove_forward,
        layers=layers,
        refs=refs,
        init=_glove_init,
        dims={"nO": None, "nV": None},
        params={"E": None} if fine_tune else {},
        attrs={"n_position_buckets": n_position_buckets, "pooling": pooling, "fine_tune": fine_tune},
    )


def _vectors_width(docs: List[Doc]) -> int:
    return int(docs[0].vocab.vectors.shape[1]) if docs else 0


def _glove_init(model: Model, X=None, Y=None) -> Model:
    width = _vectors_width(X or [])
    if not width:
        raise ExtractionError(
            "sentence_glove needs word vectors in the vocab: set [initialize] vectors "
            "(e.g. training/vectors/glove100-100k-30k, see scripts/fetch_vectors.py)"
        )
    model.set_dim("nV", width)
    if model.attrs["fine_tune"]:
        model.set_param("E", model.ops.asarray2f(numpy.array(X[0].vocab.vectors.data, dtype="f")))
    pooled = width
    if model.has_ref("projection"):
        proj = model.get_ref("projection")
        proj.set_dim("nI", width)
        proj.initialize()
        pooled = proj.get_dim("nO")
    if model.attrs["pooling"] == "mean_max":
        pooled *= 2
    if model.has_ref("bag"):
        bag = model.get_ref("bag")
        bag.initialize(X=X)
        model.set_dim("nO", bag.get_dim("nO") + pooled)
    else:
        model.set_dim("nO", pooled + model.attrs["n_position_buckets"] + N_EXTRA_POSITION_FEATURES)
    return model


def _known_rows(docs: List[Doc]) -> Tuple[numpy.ndarray, numpy.ndarray, List[int], List[numpy.ndarray]]:
    """Vector rows of the known tokens of every sentence (concatenated), the number of known
    tokens per sentence, the number of sentences per doc, and each sentence's token count."""
    rows_all: List[numpy.ndarray] = []
    known: List[int] = []
    counts: List[int] = []
    sizes: List[numpy.ndarray] = []
    for doc in docs:
        bounds = sentence_bounds(doc)
        counts.append(len(bounds))
        if not bounds:
            continue
        rows = doc.vocab.vectors.find(keys=doc.to_array(ORTH))
        sizes.append(numpy.asarray([e - s for s, e in bounds], dtype="i"))
        for start, end in bounds:
            r = rows[start:end]
            r = r[r >= 0]
            rows_all.append(r)
            known.append(len(r))
    rows_cat = numpy.concatenate(rows_all) if rows_all else numpy.zeros((0,), dtype="i")
    return rows_cat, numpy.asarray(known, dtype="i"), counts, sizes


def _glove_forward(model: Model, docs: List[Doc], is_train: bool):
    ops = model.ops
    n_buckets = model.attrs["n_position_buckets"]
    width = model.get_dim("nV")
    if docs and _vectors_width(docs) != width:
        raise ExtractionError(
            f"sentence_glove was trained with {width}-d word vectors but the vocab has "
            f"{_vectors_width(docs)}-d ones: copy the claim pipeline's vectors into the vocab"
        )
    rows, known, counts, sizes = _known_rows(docs)
    n_sents = int(sum(counts))
    if n_sents == 0:
        return [ops.alloc2f(0, model.get_dim("nO")) for _ in docs], lambda d: []
    fine_tune = model.attrs["fine_tune"]
    table = model.get_param("E") if fine_tune else docs[0].vocab.vectors.data
    X = ops.asarray2f(numpy.asarray(table[rows], dtype="f")) if len(rows) else ops.alloc2f(0, width)
    proj = model.get_ref("projection") if model.has_ref("projection") else None
    bp_proj = None
    if proj is not None:
        X, bp_proj = proj(X, is_train)
    d = X.shape[1]
    lengths = ops.asarray1i(known)
    parts = [ops.reduce_mean(X, lengths)] if len(rows) else [ops.alloc2f(n_sents, d)]
    use_max = model.attrs["pooling"] == "mean_max"
    if use_max:
        # a sentence without known tokens gets one zero row, so that its max is 0 (and defined)
        padded = numpy.maximum(known, 1)
        starts_pad = numpy.concatenate([[0], numpy.cumsum(padded)[:-1]])
        starts_real = numpy.concatenate([[0], numpy.cumsum(known)[:-1]])
        dest = numpy.arange(len(rows)) + numpy.repeat(starts_pad - starts_real, known)
        Xm = ops.alloc2f(int(padded.sum()), d)
        Xm[dest] = X
        maxed, which = ops.reduce_max(Xm, ops.asarray1i(padded))
        parts.append(maxed)
    glove = ops.xp.hstack(parts)
    bag = model.get_ref("bag") if model.has_ref("bag") else None
    bp_bag = None
    if bag is not None:
        bag_out, bp_bag = bag(docs, is_train)
        front = ops.xp.vstack(bag_out)
        outputs = ops.xp.hstack([front, glove])
    else:
        positions = [position_features(len(n), n, n_buckets) for n in sizes]
        front = None
        outputs = ops.xp.hstack([glove, ops.asarray2f(numpy.vstack(positions))])
    splits = numpy.cumsum(counts)[:-1]

    def backprop(d_outputs: List[Floats2d]) -> List[Doc]:
        dY = ops.xp.vstack(d_outputs)
        offset = 0
        if bag is not None and bp_bag is not None:
            n_bag = front.shape[1]
            bp_bag(list(ops.xp.split(ops.as_contig(dY[:, :n_bag]), splits)))
            offset = n_bag
        if (bp_proj is not None or fine_tune) and len(rows):
            dX = ops.backprop_reduce_mean(ops.as_contig(dY[:, offset : offset + d]), lengths)
            if use_max:
                d_max = ops.as_contig(dY[:, offset + d : offset + 2 * d])
                dX += ops.backprop_reduce_max(d_max, which, ops.asarray1i(padded))[dest]
            if bp_proj is not None:
                dX = bp_proj(dX)
            if fine_tune:
                dE = ops.alloc2f(*table.shape)
                numpy.add.at(dE, rows, dX)  # CPU only, as the rest of the claim tagger
                model.inc_grad("E", dE)
        return []

    return list(ops.xp.split(outputs, splits)), backprop


def sentence_bow(ngram_size: int, n_bits: int) -> Model[List[Doc], List[Floats2d]]:
    """Sentence n-grams → one linear score per label (nO set by the component), per doc."""
    ngrams = sentence_ngrams(ngram_size)
    linear = SparseLinear_v2(length=1 << n_bits)

    def forward(model: Model, docs: List[Doc], is_train: bool):
        (feats, counts), _ = ngrams(docs, is_train)
        scores, bp_scores = linear(feats, is_train)
        splits = numpy.cumsum(counts)[:-1]
        outputs = list(model.ops.xp.split(scores, splits)) if counts else []

        def backprop(d_outputs: List[Floats2d]) -> List[Doc]:
            bp_scores(model.ops.xp.vstack(d_outputs))
            return []

        return outputs, backprop

    def init(model: Model, X=None, Y=None) -> Model:
        linear.initialize()
        return model

    model = Model("sentence_bow", forward, layers=[ngrams, linear], init=init)
    model.set_ref("output", linear)
    return model


@registry.architectures("kg.SentenceRoles.v1")
def build_sentence_roles_model(
    encoder: Model[List[Doc], List[Floats2d]],
    hidden_width: int = 64,
    context_depth: int = 1,
    use_ngrams: bool = True,
    ngram_size: int = 2,
    ngram_bits: int = 16,
    dropout: float = 0.1,
    nO: Optional[int] = None,
) -> Model[List[Doc], List[Floats2d]]:
    """Sentence-sequence classifier: sentence vectors (+ position) → BiLSTM over the sentences
    of each doc → softmax. `encoder` is :func:`sentence_bag` or :func:`sentence_pooler`.

    With ``use_ngrams`` a linear bag of hashed sentence n-grams is added to the pre-softmax
    scores (wide and deep: the LSTM carries the context, the n-grams the cue words). The
    component sets ``nO`` (the number of labels) on the output layers before initialising.
    """
    deep_out = Linear(nO=nO)
    deep = chain(
        encoder,
        with_array(Maxout(hidden_width, dropout=dropout, normalize=True)),
        with_padded(LSTM(nO=hidden_width, bi=True, depth=context_depth)),
        with_array(chain(Maxout(hidden_width, dropout=dropout, normalize=True), deep_out)),
    )
    if use_ngrams:
        wide = sentence_bow(ngram_size, ngram_bits)
        scores = _sum_lists(deep, wide)
    else:
        scores = deep
    model = chain(scores, with_array(_softmax_activation()))
    model.set_ref("output", deep_out)
    if use_ngrams:
        model.set_ref("ngram_output", wide.get_ref("output"))
    return cast(Model[List[Doc], List[Floats2d]], model)


def set_n_labels(model: Model, n_labels: int) -> None:
    """Give the model's output layers their width (the number of labels), if still unset."""
    for ref in ("output", "ngram_output"):
        layer = model.get_ref(ref) if model.has_ref(ref) else None
        if layer is not None and layer.has_dim("nO") is None:
            layer.set_dim("nO", n_labels)


def _softmax_activation() -> Model[Floats2d, Floats2d]:
    def forward(model: Model, X: Floats2d, is_train: bool):
        def backprop(dY: Floats2d) -> Floats2d:
            # The component's loss is already the gradient w.r.t. the logits (softmax with
            # cross-entropy), as thinc's Softmax layer expects it: pass it through.
            return dY

        return model.ops.softmax(X), backprop

    return Model("softmax_activation", forward)


def _sum_lists(a: Model, b: Model) -> Model:
    """Add two layers' per-doc outputs elementwise (both map List[Doc] to List[Floats2d])."""

    def forward(model: Model, docs: List[Doc], is_train: bool):
        Ya, bp_a = a(docs, is_train)
        Yb, bp_b = b(docs, is_train)

        def backprop(dY: List[Floats2d]) -> List[Doc]:
            bp_a(dY)
            bp_b(dY)
            return []

        return [ya + yb for ya, yb in zip(Ya, Yb)], backprop

    def init(model: Model, X=None, Y=None) -> Model:
        a.initialize(X=X)
        b.initialize(X=X)
        return model

    return Model("sum_lists", forward, layers=[a, b], init=init)
