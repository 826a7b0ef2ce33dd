#!/usr/bin/env python3
"""Train and measure the span model (Method/Dataset/Task/Metric NER).

Subcommands (run from the repository root, one at a time, nice'd: the machine is shared):

  prepare            gold JSONL -> DocBins under training/data (SciERC train/dev, SciREX dev,
                     and SciREX dev in --k folds for cross-validation)
  train CONFIG OUT   spacy train with CONFIG on --train DIR(s), tuning on --dev FILE
  predict MODEL GOLD PRED
                     assemble MODEL (trained NER) with the rule components, run it over GOLD
                     papers and write extraction JSONL (score it with `kg eval GOLD --pred PRED`)
  cv CONFIG OUT      --k-fold cross-validation on SciREX dev: for each fold train on SciERC train +
                     the other folds (checkpoint chosen on SciERC dev), predict the held-out fold; pooled predictions go to
                     OUT/scirex-cv.pred.jsonl (`kg eval scirex-dev.jsonl --pred …`); the held-out
                     folds are predicted with the shipped assembly (configs/pipeline.cfg)
  cv-predict OUT     only that last step, with the fold models already in OUT (re-score the
                     cross-validation after a change to the rules, without training again)

Extra arguments after `--` are spaCy config overrides, e.g.
  -- --components.tok2vec.model.encode.width 128 --training.max_epochs 60
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from spacy.cli._util import parse_config_overrides  # noqa: E402
from spacy.tokens import DocBin  # noqa: E402

from kg.extract.corpus import LABEL_MAP, folds, gold_doc, read_jsonl  # noqa: E402
import kg.extract.vector_tok2vec  # noqa: E402,F401  (kg.VectorsBeside.v1, kg.tok2vec_from_pipeline.v1 of spans_ner_vec*.cfg)

GOLD = ROOT.parent / "shared" / "data" / "gold"
DATA = ROOT / "training" / "data"
K = 5


def write_docbin(records: list[dict], path: Path, label_map: dict[str, str] = LABEL_MAP) -> int:
    nlp = spacy.blank("en")
    db = DocBin(store_user_data=False)
    dropped = 0
    for rec in records:
        doc, n = gold_doc(nlp, rec, label_map)
        dropped += n
        db.add(doc)
    path.parent.mkdir(parents=True, exist_ok=True)
    db.to_disk(path)
    return dropped


def prepare(args: argparse.Namespace) -> None:
    """Write the DocBins: one directory per training set (spaCy reads every .spacy in it)."""
    scierc_train = read_jsonl(GOLD / "scierc-train.jsonl")
    scierc_dev = read_jsonl(GOLD / "scierc-dev.jsonl")
    scirex = read_jsonl(GOLD / "scirex-dev.jsonl")
    out = Path(args.data)
    if out.exists():
        shutil.rmtree(out)
    report = {
        "scierc-train/docs.spacy": write_docbin(scierc_train, out / "scierc-train" / "docs.spacy"),
        "scierc-dev.spacy": write_docbin(scierc_dev, out / "scierc-dev.spacy"),
        "scirex-dev/docs.spacy": write_docbin(scirex, out / "scirex-dev" / "docs.spacy"),
    }
    for f, (train, held) in enumerate(folds(scirex, args.k)):
        report[f"fold{f}"] = write_docbin(train, out / f"scirex-fold{f}-train" / "docs.spacy")
        write_docbin(held, out / f"scirex-fold{f}-dev.spacy")
        (out / f"scirex-fold{f}-dev.ids").write_text("\n".join(r["id"] for r in held) + "\n")
    print("mentions that do not align with tokens (dropped):", json.dumps(report))


def train_model(config: str, output: Path, train: list[str], dev: str, overrides: dict) -> Path:
    """spacy train; the training set is every DocBin under the `train` directories."""
    from spacy.cli.train import train as spacy_train

    joined = output / "train-data"
    if joined.exists():
        shutil.rmtree(joined)
    joined.mkdir(parents=True)
    for i, d in enumerate(train):
        for f in sorted(Path(d).glob("*.spacy")):
            shutil.copy(f, joined / f"{i}-{f.name}")
    overrides = {"paths.train": str(joined), "paths.dev": dev, **overrides}
    t0 = time.time()
    spacy_train(Path(config), output, overrides=overrides, use_gpu=-1)
    print(f"trained in {time.time() - t0:.0f}s -> {output / 'model-best'}")
    return output / "model-best"


def predict(model: Path, gold: Path, pred: Path, ids: set[str] | None = None, mode: str = "a",
            rules: tuple[str, ...] | None = None, merge: dict | None = None) -> None:
    """Run the assembled pipeline (model + rules) over gold papers, append extraction JSONL."""
    from kg.evaluate.gold import read_gold
    from kg.extract.ops import fastest_ops
    from kg.extract.pipeline import RULES, assemble
    from kg.extract.spacy_extractor import SpacyExtractor

    papers = [p for p in read_gold(gold) if ids is None or p.id in ids]
    with fastest_ops():  # as load_pipeline does at run time
        nlp = assemble(spacy.load(model), rules=RULES if rules is None else rules, merge_config=merge)
    ex = SpacyExtractor(nlp)
    with open(pred, mode, encoding="utf-8") as fh:
        for extraction in ex.extract(papers):
            fh.write(json.dumps(extraction.to_json()) + "\n")


def cmd_train(args: argparse.Namespace, overrides: dict) -> None:
    train_model(args.config, Path(args.output), args.train, args.dev, overrides)


def parse_rules(text: str | None) -> tuple[str, ...] | None:
    """--rules: 'all' (None), 'none' (), or comma-separated factory names."""
    if text is None or text == "all":
        return None
    return () if text == "none" else tuple(f"kg_{r}_v1" if not r.startswith("kg_") else r
                                           for r in text.split(","))


def cmd_predict(args: argparse.Namespace, overrides: dict) -> None:
    ids = set(Path(args.ids).read_text().split()) if args.ids else None
    predict(Path(args.model), Path(args.gold), Path(args.pred), ids=ids, mode=args.mode,
            rules=parse_rules(args.rules), merge=json.loads(args.merge) if args.merge else None)


def shipped_assembly() -> tuple[tuple[str, ...], dict]:
    """The rules and merge config the shipped pipeline is assembled with (configs/pipeline.cfg),
    so that cross-validation scores what ships."""
    from spacy.util import load_config
    from train_pipeline import assembly  # scripts/ is on sys.path when a script runs

    return assembly(load_config(ROOT / "configs" / "pipeline.cfg"))


def predict_folds(out: Path, data: Path, k: int) -> Path:
    """Each fold model OUT/fold{f}/model-best, assembled like the shipped pipeline, over its
    held-out SciREX papers; the pooled predictions go to OUT/scirex-cv.pred.jsonl."""
    rules, merge = shipped_assembly()
    pooled = out / "scirex-cv.pred.jsonl"
    pooled.write_text("")
    for f in range(k):
        ids = set((data / f"scirex-fold{f}-dev.ids").read_text().split())
        predict(out / f"fold{f}" / "model-best", GOLD / "scirex-dev.jsonl", pooled, ids,
                rules=rules, merge=merge)
    print(f"pooled predictions: {pooled}")
    return pooled


def cmd_cv(args: argparse.Namespace, overrides: dict) -> None:
    out = Path(args.output)
    out.mkdir(parents=True, exist_ok=True)
    data = Path(args.data)
    for f in range(args.k):
        train_model(
            args.config, out / f"fold{f}", [str(data / "scierc-train"), str(data / f"scirex-fold{f}-train")],
            # model selection on SciERC dev, never on the held-out fold
            str(data / "scierc-dev.spacy"), overrides)
        shutil.rmtree(out / f"fold{f}" / "model-last", ignore_errors=True)
    predict_folds(out, data, args.k)


def cmd_cv_predict(args: argparse.Namespace, overrides: dict) -> None:
    predict_folds(Path(args.output), Path(args.data), args.k)


def main(argv: list[str]) -> None:
    cut = argv.index("--") if "--" in argv else len(argv)
    ours, extra = argv[:cut], argv[cut + 1 :]
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", default=str(DATA))
    parser.add_argument("--k", type=int, default=K, help="cross-validation folds of SciREX dev")
    sub = parser.add_subparsers(dest="cmd", required=True)
    sub.add_parser("prepare").set_defaults(func=lambda a, o: prepare(a))
    p = sub.add_parser("train")
    p.add_argument("config")
    p.add_argument("output")
    p.add_argument("--train", nargs="+", default=[str(DATA / "scierc-train")])
    p.add_argument("--dev", default=str(DATA / "scierc-dev.spacy"))
    p.set_defaults(func=cmd_train)
    p = sub.add_parser("predict")
    p.add_argument("model")
    p.add_argument("gold")
    p.add_argument("pred")
    p.add_argument("--rules", default="all", help="all | none | comma list, e.g. datasets,title_method")
    p.add_argument("--merge", default=None, help='merge config JSON, e.g. {"weights": {"model": 1.2}}')
    p.add_argument("--ids", default=None, help="only the papers whose ids are in this file")
    p.add_argument("--mode", default="w", choices=["w", "a"], help="a: append to PRED")
    p.set_defaults(func=cmd_predict)
    p = sub.add_parser("cv")
    p.add_argument("config")
    p.add_argument("output")
    p.set_defaults(func=cmd_cv)
    p = sub.add_parser("cv-predict")
    p.add_argument("output")
    p.set_defaults(func=cmd_cv_predict)
    args = parser.parse_args(ours)
    args.func(args, parse_config_overrides(extra))


if __name__ == "__main__":
    main(sys.argv[1:])
