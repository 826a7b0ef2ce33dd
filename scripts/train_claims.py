#!/usr/bin/env python3
"""Train the claim tagger (``kg_claims_v1``) on CSAbstruct and tune its threshold on dev.

NOTES FOR WHOEVER ASSEMBLES THE SHIPPED PIPELINE (scripts/train_pipeline.py does this)
- Output: ``<output>/model-best`` (default ``training/claims/model-best``) is a complete spaCy
  pipeline ``["sentencizer", "claims"]``, 9.9 MB. Take the component with
  ``nlp.add_pipe("claims", source=spacy.load(path))``; it has its own hashed n-gram embeddings
  and listens to no shared tok2vec, so it can be sourced into any pipeline.
- Register the factories before loading: ``import kg.extract.claims_factories``
  (``kg_claims_v1``, ``kg_claim_kinds_v1``, scorer ``kg.claims_scorer.v1``, reader
  ``kg.CSAbstructCorpus.v1``).
- It needs sentence boundaries (a ``sentencizer`` before it) and reads only the abstract of a
  ``kg.extract.layout.make_doc`` Doc (``doc.user_data["kg_abstract_start"]``). It writes
  ``doc.spans["kg_claims"]`` (label ``claim``, ``Span._.kg_confidence`` = P(result)) and
  ``doc.spans["kg_sentence_roles"]`` (every abstract sentence with its role).
- A claim tagger trained with ``configs/claims_vec.cfg`` (not shipped) reads GloVe vectors
  from the vocab: copy them before sourcing (``nlp.vocab.vectors = claims_nlp.vocab.vectors``;
  ``add_pipe(source=...)`` does not), or it raises ExtractionError on the first doc.
- Add ``kg_claim_kinds_v1`` after it: it relabels each claim span with its kind. Then
  ``kg.extract.claims.build_claims(doc, mentions)`` returns the ``Claim`` records (with
  ``about``) and the ``Comparison`` records (OUTPERFORMS) for the Extraction.

Usage (from the repository root; CPU only, one process, 10–20 minutes on a shared core):
    nice -n 10 python scripts/train_claims.py                       # configs/claims.cfg
    nice -n 10 python scripts/train_claims.py --output /tmp/c -- --training.max_steps 300
    nice -n 10 python scripts/train_claims.py --config configs/claims_vec.cfg --output training/claims-vec

Training runs ``spacy train`` (model selection on dev claim F1, with the pipeline's own
sentencizer); then the threshold on P(result) that maximises dev claim F1 (0.10–0.80, see
kg.evaluate.claims) is written into ``model-best``, and the dev figures before and after are
printed. Dev is thus used for selection and tuning (see docs/claims.md).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from spacy.cli._util import parse_config_overrides  # noqa: E402
from spacy.cli.train import train  # noqa: E402

import kg.extract.claims_factories  # noqa: E402,F401  (registers the components)
from kg.extract.claims_corpus import make_csabstruct_reader  # noqa: E402
from kg.evaluate.claims import match_claims  # noqa: E402
from kg.extract.candidates import CLAIMS  # noqa: E402
from kg.extract.claims_tagger import CLAIM_ROLE, ROLES_KEY  # noqa: E402

GOLD = ROOT.parent / "shared" / "data" / "gold"


def claim_f1(scored: list, threshold: float) -> dict[str, float]:
    """Dev claim P/R/F1 when the claims are the sentences with P(result) >= threshold."""
    n_gold = n_found = n_pred = n_correct = 0
    for gold, sentences in scored:
        pred = [(s, e) for s, e, p in sentences if p >= threshold]
        found, correct = match_claims(gold, pred)
        n_gold, n_found = n_gold + len(gold), n_found + found
        n_pred, n_correct = n_pred + len(pred), n_correct + correct
    p = n_correct / n_pred if n_pred else 0.0
    r = n_found / n_gold if n_gold else 0.0
    return {"p": p, "r": r, "f": 2 * p * r / (p + r) if p + r else 0.0}


def tune_threshold(model_dir: Path, dev: Path) -> tuple[float, dict, dict]:
    """Pick the P(result) threshold with the best dev claim F1 and save it into the pipeline.

    The dev abstracts go through the whole pipeline (its sentencizer, not gold sentences).
    """
    nlp = spacy.load(model_dir)
    tagger = nlp.get_pipe("claims")
    default = tagger.threshold
    examples = list(make_csabstruct_reader(str(dev))(nlp))
    tagger.cfg["threshold"] = 0.0
    scored = []
    for eg, doc in zip(examples, nlp.pipe(eg.reference.text for eg in examples)):
        gold = [(s.start_char, s.end_char) for s in eg.reference.spans[ROLES_KEY] if s.label_ == CLAIM_ROLE]
        group = doc.spans[CLAIMS]
        scored.append((gold, [(s.start_char, s.end_char, p) for s, p in zip(group, group.attrs["scores"])]))
    before = claim_f1(scored, default)
    threshold = max((t / 100 for t in range(10, 81)), key=lambda t: (claim_f1(scored, t)["f"], -abs(t - 0.5)))
    tagger.cfg["threshold"] = threshold
    nlp.to_disk(model_dir)
    return threshold, before, claim_f1(scored, threshold)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", type=Path, default=ROOT / "configs" / "claims.cfg")
    parser.add_argument("--output", type=Path, default=ROOT / "training" / "claims")
    parser.add_argument("--train", type=Path, default=GOLD / "csabstruct-train.jsonl")
    parser.add_argument("--dev", type=Path, default=GOLD / "csabstruct-dev.jsonl")
    parser.add_argument("--no-tune", action="store_true", help="keep the config's threshold")
    args, extra = parser.parse_known_args()
    overrides = parse_config_overrides([a for a in extra if a != "--"])
    overrides.update({"paths.train": str(args.train), "paths.dev": str(args.dev)})
    vectors = spacy.util.load_config(args.config)["paths"].get("vectors")
    if vectors and "paths.vectors" not in overrides and not Path(vectors).is_absolute():
        overrides["paths.vectors"] = str(ROOT / vectors)  # relative to the repository root
    train(args.config, args.output, use_gpu=-1, overrides=overrides)
    best = args.output / "model-best"
    if not args.no_tune:
        threshold, before, after = tune_threshold(best, args.dev)
        print(f"dev claims, config threshold: P {before['p']:.3f} R {before['r']:.3f} F {before['f']:.3f}")
        print(f"dev claims, threshold {threshold:.2f}: P {after['p']:.3f} R {after['r']:.3f} F {after['f']:.3f}")
    print(f"pipeline: {best}")


if __name__ == "__main__":
    main()
