"""Pretrained static vectors (GloVe) in the span model, on top of en_core_web_sm's tok2vec.

Two ways, both registered under versioned names:

- ``kg.VectorsBeside.v1`` (architecture): a static-vectors branch beside a shared tok2vec.
- ``kg.tok2vec_from_pipeline.v1`` (``[initialize.after_init]`` callback): copies a trained
  pipeline's tok2vec weights into a tok2vec of the same architecture that also embeds static
  vectors (``include_static_vectors = true``): see :func:`copy_weights`.

The span model's tok2vec is sourced from en_core_web_sm (transfer from OntoNotes); its
architecture cannot change without losing those weights. This architecture leaves it alone and
widens what a downstream component (the NER) sees instead: the upstream tok2vec's output (through
a ``spacy.Tok2VecListener.v1``) concatenated with the pipeline's static word vectors
(``[initialize] vectors``, e.g. GloVe), projected to ``width`` and contextualised by a small
Maxout window encoder. The vectors table itself is not trained; the projection and the encoder are.

Registered under versioned names, like the factories (``kg/extract/factories.py`` imports this
module, so a pipeline using it loads wherever paperkg's factories do).
"""

from __future__ import annotations

from typing import Callable, List

import numpy
import spacy
from spacy.language import Language
from spacy.ml.models.tok2vec import MaxoutWindowEncoder
from spacy.ml.staticvectors import StaticVectors
from spacy.tokens import Doc
from spacy.util import registry
from thinc.api import Model, chain, concatenate, ragged2list
from thinc.types import Floats2d


@registry.architectures("kg.VectorsBeside.v1")
def vectors_beside(
    tok2vec: Model[List[Doc], List[Floats2d]],
    width: int,
    depth: int,
    window_size: int = 1,
    maxout_pieces: int = 3,
    dropout: float = 0.0,
) -> Model[List[Doc], List[Floats2d]]:
    """``tok2vec``'s vectors with static vectors (projected to ``width``, ``depth`` CNN layers
    of context) appended: output width ``tok2vec.nO + width``."""
    static = chain(
        StaticVectors(nO=width, dropout=dropout),
        ragged2list(),
        MaxoutWindowEncoder(width=width, window_size=window_size, maxout_pieces=maxout_pieces,
                            depth=depth),
    )
    model = concatenate(tok2vec, static)
    model.set_dim("nO", tok2vec.get_dim("nO") + width)
    return model


def copy_weights(source: Model, target: Model) -> int:
    """Copy ``source``'s weights into ``target``, the same tok2vec but with static vectors in
    its embedding (``MultiHashEmbed`` with ``include_static_vectors``): every layer with weights
    pairs with the one in the same place (depth first) once the target's ``static_vectors``
    is left out; the mixing Maxout's weights for the extra static-vectors input are zero, so the
    target computes exactly what the source did until training moves them. Returns the number of
    layers copied; raises ValueError when the two do not line up."""
    src = [n for n in source.walk(order="dfs_pre") if n.param_names]
    dst = [n for n in target.walk(order="dfs_pre") if n.param_names and n.name != "static_vectors"]
    if [n.name for n in src] != [n.name for n in dst]:
        raise ValueError(f"tok2vec layers differ: {[n.name for n in src]} vs {[n.name for n in dst]}")
    for s_node, d_node in zip(src, dst):
        if s_node.attrs.get("seed") != d_node.attrs.get("seed"):
            raise ValueError(f"{s_node.name}: hash seeds differ ({s_node.attrs.get('seed')} vs "
                             f"{d_node.attrs.get('seed')})")
        for name in s_node.param_names:
            value = numpy.asarray(s_node.get_param(name))
            shape = d_node.get_param(name).shape
            if value.shape != shape:
                if not (value.shape[:-1] == shape[:-1] and value.shape[-1] < shape[-1]):
                    raise ValueError(f"{s_node.name}.{name}: {value.shape} cannot go into {shape}")
                padded = numpy.zeros(shape, dtype=value.dtype)
                padded[..., : value.shape[-1]] = value
                value = padded
            d_node.set_param(name, d_node.ops.asarray(value.copy()))
    return len(src)


@registry.callbacks("kg.tok2vec_from_pipeline.v1")
def tok2vec_from_pipeline(source: str, component: str = "tok2vec") -> Callable[[Language], Language]:
    """After initialisation, start ``component`` from the weights of the installed (or on-disk)
    pipeline ``source``'s component of that name (:func:`copy_weights`)."""

    def start_from_source(nlp: Language) -> Language:
        src_nlp = spacy.load(source)
        copy_weights(src_nlp.get_pipe(component).model, nlp.get_pipe(component).model)
        return nlp

    return start_from_source
