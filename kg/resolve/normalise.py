"""Per-mention normalisation: a surface form → an entity key such as ``dataset:cifar-10``.

:func:`entity_key` is pure and cached (the extractor calls it for every mention). The key is the
label's id prefix (``kg.graph.schema.ID_PREFIX``) and a readable slug of the normalised name:

* Unicode folded (NFKC, accents dropped, dashes and quotes unified), lower case, possessives
  dropped (``FedHyper's`` → ``fedhyper``), ``&`` read as ``and``, a trailing parenthetical and
  stray brackets removed (``Contrastive Language-Image Pre-training (CLIP)`` → the long form).
* Words joined by ``-`` whether written with spaces or hyphens (``Multi Person`` =
  ``multi-person``); a trailing version number split off (``LLaMA2`` = ``Llama 2`` =
  ``Llama-2`` → ``llama-2``; ``CIFAR10`` → ``cifar-10``; ``DINOv2`` → ``dino-v2``). Numbers,
  sizes and variant words are kept, so CIFAR-10 ≠ CIFAR-100, GPT-2 ≠ GPT-4, Llama 2 ≠ Llama 3,
  ResNet-50 ≠ ResNet-101, BERT-base ≠ BERT-large, LoRA ≠ QLoRA, and ImageNet-1k ≠ ImageNet
  (a user who wants those two merged says so in an alias file).
* Leading determiners dropped (``the``, ``our`` …, and after one of them ``proposed``,
  ``standard``, ``original`` …: "the standard LoRA" = "LoRA").
* The head noun singularised for methods, tasks and metrics (``Transformers`` → ``transformer``,
  ``GANs`` → ``gan``), never for datasets (``Cityscapes`` stays) and never for words such as
  *analysis*, *loss*, *class*, *series*, *means*, *bayes*.
* Wrappers dropped: "the CIFAR-10 dataset", "SQuAD benchmark", "the FedHyper framework",
  "the BERT model" (``model``/``architecture``/``system`` only after a name-like word, so that
  "language model" keeps its head), "machine translation tasks", "F1 score", "BLEU points".
* Tasks and metrics lose adjectives that describe a solution, not the problem ("neural machine
  translation" = "machine translation", "automatic speech recognition" = "speech recognition",
  "real-world text classification" = "text classification"), but never when only one word
  would be left, and never *supervised*/*zero-shot* style variants.
* Datasets lose descriptions ("large-scale RVL-CDIP", "the challenging COCO dataset");
  methods read "nets" as "networks" ("neural nets"), and tasks lose "model"/"method" after a
  name ("SRL model" = "SRL").
* A parenthetical inside a name is dropped too ("machine learning (ML) model").

Generic phrases ("our method", "the model", "a novel framework", "state-of-the-art baselines")
get the empty key ``""``: they never become entities. :func:`is_generic` says so directly.

:func:`compact` gives the looser signature the resolver merges on (hyphens dropped too:
``fast-r-cnn`` = ``fast-rcnn``, ``super-resolution`` = ``superresolution``).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

from kg.graph.schema import ID_PREFIX

# -- word lists (lower case) ------------------------------------------------------------------

DETERMINERS = frozenset(
    "the a an our their its this these those that his her my your we they it each every some "
    "any both such".split()
)
#: Dropped only right after a determiner ("the standard LoRA"); alone they can start names.
AFTER_DETERMINER = frozenset(
    "proposed novel new standard original conventional existing popular traditional classical "
    "classic typical common recent current previous prior same above following widely-used "
    "well-known famous so-called vanilla baseline".split()
)
#: Dropped wherever they start a mention.
ALWAYS_LEADING = frozenset("proposed vanilla aforementioned so-called".split())

#: Trailing words that wrap a name, per label. A wrapper is dropped only if words remain.
WRAP_ALWAYS = {
    "Dataset": frozenset(
        "dataset datasets data-set data-sets benchmark benchmarks corpus corpora database "
        "databases test-set test-sets".split()
    ),
    "Method": frozenset(),
    "Task": frozenset(
        "task tasks problem problems benchmark benchmarks setting settings system systems research "
        "baseline baselines dataset datasets database databases".split()
    ),
    "Metric": frozenset("score scores metric metrics point points value values".split()),
}
#: Dropped after a name-like word (a capital inside a word, or a digit) or when at least two
#: words remain: "the FedHyper algorithm", "expectation maximization algorithm", but not
#: "genetic algorithm" or "greedy approach".
WRAP_AFTER_NAME_OR_TWO = {
    "Method": frozenset(
        "method methods approach approaches framework frameworks algorithm algorithms technique "
        "techniques scheme schemes based".split()
    ),
}
#: Dropped only after a name-like word (a capital inside a word, or a digit): "the BERT model".
WRAP_AFTER_NAME = {
    "Dataset": frozenset(),
    "Method": frozenset(
        "model models architecture architectures system systems module modules baseline "
        "baselines".split()
    ),
    "Task": frozenset("model models method methods approach approaches framework frameworks".split()),
    "Metric": frozenset(),
}
#: Leading words that describe a solution, not the task or metric it is about.
SOLUTION_ADJECTIVES = frozenset(
    "neural deep automatic automated accurate fast efficient robust scalable improved "
    "effective better practical reliable classical conventional traditional generic".split()
)
#: Two-word descriptions dropped like SOLUTION_ADJECTIVES, when three words remain.
SOLUTION_PAIRS = (
    ["real", "time"], ["large", "scale"], ["real", "world"], ["high", "quality"],
    ["high", "performance"],
)
#: Leading words that describe a dataset rather than name it ("the challenging COCO dataset",
#: "large-scale RVL-CDIP"); dropped while a word remains.
DATASET_DESCRIPTIONS = frozenset("challenging popular".split())
DATASET_DESCRIPTION_PAIRS = (["large", "scale"], ["publicly", "available"], ["widely", "used"])
#: Task head nouns: a metric named after the task it is measured on is the same metric
#: ("recognition accuracy", "face verification accuracy" → accuracy).
TASK_HEADS = frozenset(
    "recognition classification detection segmentation verification identification translation "
    "retrieval prediction generation tracking estimation reconstruction parsing tagging "
    "labeling labelling answering summarization captioning localization".split()
)
#: Words that alone (in any combination) make a phrase generic.
GENERIC_WORDS = (
    DETERMINERS
    | AFTER_DETERMINER
    | frozenset(
        "method approach framework algorithm technique scheme model models system network "
        "architecture baseline strategy solution module component pipeline mechanism procedure "
        "process tool toolkit dataset data benchmark corpus database collection task problem "
        "setting metric measure performance result work paper study experiment evaluation "
        "sota state-of-the-art art state of other several many various different multiple "
        "strong competitive effective efficient simple unified general generic robust powerful "
        "improved better best first second one two three existing learning-based based "
        "deep-learning-based representative competing prior previous related alternative "
        "version variant variants set sets way ways idea ideas technique techniques learning "
        "downstream upstream real world application applications".split()
    )
)

#: Words ending in s that are not plurals (or whose plural is not ours to strip).
NOT_PLURAL = frozenset(
    "analysis basis axis thesis hypothesis synthesis diagnosis emphasis genesis parenthesis "
    "loss class bias gas lens news series species means bayes mathematics physics ethics "
    "statistics dynamics graphics robotics linguistics economics genomics analytics "
    "kinematics semantics pragmatics phonetics optics acoustics logistics this its was has "
    "plus alias atlas canvas chaos cosmos corpus status focus bus virus consensus campus "
    "census bonus nexus onus radius stimulus apparatus locus lotus modulus nucleus calculus "
    "octopus pegasus prometheus ms sms gps aws iris tennis chess less unless across "
    "wireless seamless thus versus vs yes lbs".split()
)
IRREGULAR_PLURAL = {
    "analyses": "analysis", "hypotheses": "hypothesis", "syntheses": "synthesis",
    "diagnoses": "diagnosis", "theses": "thesis", "axes": "axis", "indices": "index",
    "matrices": "matrix", "vertices": "vertex", "criteria": "criterion", "phenomena": "phenomenon",
    "corpora": "corpus", "children": "child", "people": "person", "mice": "mouse",
    "metrics": "metric", "heuristics": "heuristic", "topics": "topic",
}
#: Words that stop the head search: the head of "mixtures of experts" is "mixtures".
HEAD_STOPS = frozenset("of for with via using in on from under".split())

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u00ad"), "-")
_QUOTES = dict.fromkeys(map(ord, "\u2018\u2019\u201b\u2032`\u00b4"), "'")
_DROP_QUOTES = dict.fromkeys(map(ord, "\"\u201c\u201d\u201e\u00ab\u00bb"), None)
_GREEK = {
    "α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "ε": "epsilon", "ζ": "zeta",
    "η": "eta", "θ": "theta", "κ": "kappa", "λ": "lambda", "μ": "mu", "ν": "nu", "π": "pi",
    "ρ": "rho", "σ": "sigma", "τ": "tau", "φ": "phi", "χ": "chi", "ψ": "psi", "ω": "omega",
}
_GREEK_TABLE = str.maketrans({**_GREEK, **{k.upper(): v.capitalize() for k, v in _GREEK.items()}})

_TRAILING_PAREN = re.compile(r"^(.*\S)\s*\(([^()]*)\)?\s*$")
_INNER_PAREN = re.compile(r"\s*\([^()]*\)")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b|(?<=s)'(?=\s|$)")
_SOTA = re.compile(r"\bstate[- ]of[- ]the[- ]art\b", re.I)
_SPACED_PLUS = re.compile(r"(?<=\w)\s+(\++)(?=\s|$)")
_NON_WORD = re.compile(r"[^a-z0-9.+\-']+")
_STRAY_DOT = re.compile(r"(?<![0-9])\.|\.(?![0-9])")
_TRAILING_NUMBER = re.compile(r"^([a-z]{2,}?)(v?\d+(?:\.\d+)*[a-z]{0,2})$")
#: A written acronym plural: "GANs", "CNNs", "LLMs".
ACRONYM_PLURAL = re.compile(r"^[A-Z0-9][A-Za-z0-9]*[A-Z0-9]s$")


def fold(text: str) -> str:
    """Unicode-fold a surface form: NFKC, accents dropped, dashes and quotes unified."""
    if text.isascii():
        return text.replace("`", "'").replace('"', "")
    text = unicodedata.normalize("NFKD", unicodedata.normalize("NFKC", text))
    text = "".join(c for c in text if not unicodedata.combining(c))
    text = text.translate(_DASHES).translate(_QUOTES).translate(_DROP_QUOTES)
    return text.translate(_GREEK_TABLE)


def _strip_brackets(text: str) -> str:
    """Drop a trailing parenthetical ("CLIP (ViT-B)" keeps "CLIP") and any stray bracket."""
    m = _TRAILING_PAREN.match(text)
    if m and "(" in text:
        text = m.group(1)
    # an acronym or remark inside: "machine learning (ML) model" = "machine learning model"
    inner = _INNER_PAREN.sub(" ", text)
    if inner.strip():
        text = inner
    return re.sub(r"[()\[\]{}]", " ", text)


def _words(text: str) -> list[tuple[str, str]]:
    """(lower-case word, word as written) pairs; hyphens and spaces both separate words."""
    return list(_cached_words(text))


@lru_cache(maxsize=1 << 16)
def _cached_words(text: str) -> tuple[tuple[str, str], ...]:
    text = fold(text)
    text = _strip_brackets(text)
    text = _SOTA.sub(" sota ", text)
    text = _POSSESSIVE.sub("", text)
    text = _SPACED_PLUS.sub(r"\1", text).replace("&", " and ")
    out: list[tuple[str, str]] = []
    for raw in text.split():
        low = _NON_WORD.sub(" ", raw.lower())
        low = _STRAY_DOT.sub(" ", low).replace("'", "")
        # Keep the written form aligned with the lower-case one for the name-likeness test.
        written = re.sub(r"[^A-Za-z0-9.+\-]+", " ", raw)
        written = _STRAY_DOT.sub(" ", written)
        low_parts = [p for p in re.split(r"[\s\-]+", low) if p.strip("+.")]
        raw_parts = [p for p in re.split(r"[\s\-]+", written) if p.strip("+.")]
        if len(raw_parts) != len(low_parts):
            raw_parts = low_parts
        for lp, rp in zip(low_parts, raw_parts):
            m = _TRAILING_NUMBER.match(lp)
            if m:
                cut = len(m.group(1))
                out += [(lp[:cut], rp[:cut]), (lp[cut:], rp[cut:])]
            else:
                out.append((lp, rp))
    return tuple(out)


def name_like(written: str) -> bool:
    """True for a word written like a name: a digit, or a capital after the first letter."""
    return any(c.isdigit() for c in written) or any(c.isupper() for c in written[1:])


def singular(word: str, written: str = "") -> str:
    """The singular of an English plural noun; anything else unchanged."""
    if word in IRREGULAR_PLURAL:
        return IRREGULAR_PLURAL[word]
    if written and ACRONYM_PLURAL.match(written):  # GANs, CNNs, LLMs
        return word[:-1]
    if len(word) <= 3 or not word.endswith("s") or word in NOT_PLURAL or not word.isalpha():
        return word
    if word.endswith(("ss", "us", "is", "ics")):
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes", "ches", "shes", "zzes")):
        return word[:-2]
    return word[:-1]


def is_plural(text: str) -> bool:
    """True when the head noun of `text` is a plural ("Transformers", "GANs")."""
    words = _words(text)
    if not words:
        return False
    w, written = words[_head_index(words)]
    return singular(w, written) != w


def _head_index(words: list[tuple[str, str]]) -> int:
    for i, (w, _) in enumerate(words):
        if w in HEAD_STOPS and i > 0:
            return i - 1
    return len(words) - 1


def _strip_leading(words: list[tuple[str, str]]) -> list[tuple[str, str]]:
    i = 0
    saw_determiner = False
    while i < len(words) - 1:
        w = words[i][0]
        if w in DETERMINERS:
            saw_determiner = True
        elif not ((saw_determiner and w in AFTER_DETERMINER) or w in ALWAYS_LEADING):
            break
        i += 1
    return words[i:]


def _name_words(label: str, text: str) -> list[str]:
    words = _strip_leading(_words(text))
    if not words:
        return []
    if words[0][0] in DETERMINERS and len(words) == 1:
        return []
    always = WRAP_ALWAYS.get(label, frozenset())
    after_name = WRAP_AFTER_NAME.get(label, frozenset())
    after_two = WRAP_AFTER_NAME_OR_TWO.get(label, frozenset())
    singularise = label != "Dataset"
    changed = True
    while changed and words:
        changed = False
        if singularise:
            h = _head_index(words)
            w, written = words[h]
            s = singular(w, written)
            if s != w:
                # the written form loses the same ending, so "GANs" is not singularised twice
                words[h] = (s, written[: len(s)] if len(written) == len(w) else s)
                changed = True
        if len(words) > 1:
            last = words[-1][0]
            named = any(name_like(rp) for _, rp in words[:-1])
            if (
                last in always
                or (last in after_name and named)
                or (last in after_two and (named or len(words) > 2))
            ):
                words = words[:-1]
                changed = True
    if label == "Task" and len(words) > 2 and words[0][0] in ("task", "problem") and words[1][0] == "of":
        words = words[2:]
    if label in ("Task", "Metric"):
        # "end-to-end" arrives as three words
        while len(words) > 2:
            if words[0][0] in SOLUTION_ADJECTIVES:
                words = words[1:]
            elif [w for w, _ in words[:3]] == ["end", "to", "end"] and len(words) > 4:
                words = words[3:]
            elif [w for w, _ in words[:2]] in SOLUTION_PAIRS and len(words) > 3:
                words = words[2:]
            else:
                break
    if label == "Dataset":
        while len(words) > 1:
            if [w for w, _ in words[:2]] in DATASET_DESCRIPTION_PAIRS and len(words) > 2:
                words = words[2:]
            elif words[0][0] in DATASET_DESCRIPTIONS:
                words = words[1:]
            else:
                break
    if label == "Method":
        # "neural nets" = "neural networks"; not "U-Net" or "Res Net" (a short word before it)
        words = [
            ("network", "network") if w in ("net", "nets") and i > 0 and len(words[i - 1][0]) > 3
            and words[i - 1][0].isalpha() and not written.isupper() else (w, written)
            for i, (w, written) in enumerate(words)
        ]
    if label == "Metric" and len(words) > 1:
        cut = max((i for i, (w, _) in enumerate(words[:-1]) if w in TASK_HEADS), default=-1)
        words = words[cut + 1 :]
    return [w for w, _ in words]


def canonical_form(text: str) -> str:
    """The label-independent normalised name: folded, lower case, words joined by ``-``,
    determiners and possessives dropped (``"the LLaMA2's"`` → ``"llama-2"``)."""
    return "-".join(w for w, _ in _strip_leading(_words(text)))


def is_generic(text: str, label: str = "Method") -> bool:
    """True for phrases that name no particular entity ("our method", "a novel framework")."""
    return entity_key(label, text) == ""


@lru_cache(maxsize=1 << 16)
def entity_key(label: str, text: str) -> str:
    """``<prefix>:<normalised name>`` for a mention of `label` (``"Method"`` …), or ``""`` when
    the text is generic or empty. Pure and cached; see the module docstring for the rules."""
    words = _name_words(label, text)
    if not words or all(w in GENERIC_WORDS for w in words):
        return ""
    if all(w.replace(".", "").isdigit() for w in words):
        return ""
    name = "-".join(words)
    if len(name) < 2 and not name.isalpha():
        return ""
    prefix = ID_PREFIX.get(label, label.lower())
    return f"{prefix}:{name}"


def split_key(key: str) -> tuple[str, str]:
    """``"method:fast-r-cnn"`` → ``("method", "fast-r-cnn")``."""
    prefix, _, name = key.partition(":")
    return prefix, name


def compact(key: str) -> str:
    """The merge signature of a key: hyphens dropped except between two numbers
    (``method:fast-r-cnn`` = ``method:fast-rcnn``; ``llama-2-7b`` ≠ ``llama-27b``)."""
    prefix, name = split_key(key)
    parts = name.split("-")
    out = parts[0] if parts else ""
    for prev, part in zip(parts, parts[1:]):
        out += ("_" if prev[-1:].isdigit() and part[:1].isdigit() else "") + part
    return f"{prefix}:{out}"
