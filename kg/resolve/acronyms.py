"""Acronym definitions found in plain text: "Contrastive Language-Image Pre-training (CLIP)".

The resolver runs this over every title and abstract it sees, so it works on strings (no spaCy
Doc) and is cheap. The algorithm is Schwartz & Hearst (2003): a short form in parentheses, then
the shortest run of preceding words (at most ``min(len+5, 2·len)``) whose characters spell the
short form in order, its first character at a word start. The reverse order,
"CLIP (Contrastive Language-Image Pre-training)", is accepted too.
"""

from __future__ import annotations

import re
from typing import Iterator

#: Short forms longer than this (characters) are parenthetical remarks, not acronyms.
MAX_SHORT_CHARS = 12

_PAREN = re.compile(r"\(([^()]{1,120})\)")
_BOUNDARY = re.compile(r"[.;:!?]\s|[()\[\]]|,\s")
_SHORT_END = re.compile(r"[;,]")
_NUMBERISH = re.compile(r"[\d.,%x×+\-]+")
_NOT_SHORT = re.compile(r"^(?:e\.?g|i\.?e|cf|see|resp|et al|ours?|fig|table|eq)\b", re.I)


def is_short_form(text: str) -> bool:
    """2–12 characters, at most two words, starts alphanumeric, has a capital, not a number."""
    if not 2 <= len(text) <= MAX_SHORT_CHARS or len(text.split()) > 2:
        return False
    if not text[0].isalnum() or not any(c.isupper() for c in text):
        return False
    if _NOT_SHORT.match(text):
        return False
    return not _NUMBERISH.fullmatch(text)


def match_long_form(short: str, candidate: str) -> str | None:
    """The shortest suffix of `candidate` whose characters spell `short` in order
    (Schwartz–Hearst), or None."""
    chars = [c.lower() for c in short if c.isalnum()]
    if not chars:
        return None
    text = candidate.lower()
    li = len(text) - 1
    for si in range(len(chars) - 1, -1, -1):
        c = chars[si]
        while li >= 0 and (text[li] != c or (si == 0 and li > 0 and text[li - 1].isalnum())):
            li -= 1
        if li < 0:
            return None
        li -= 1
    start = li + 1
    # start at a whole word: "self-supervised learning (SSL)", not "supervised learning"
    while start > 0 and not candidate[start - 1].isspace():
        start -= 1
    long_form = candidate[start:].strip()
    if len(long_form) <= len(short) or " " not in long_form and "-" not in long_form:
        return None
    if short.lower() in long_form.lower().split():
        return None
    return long_form


def _window(before: str, n_words: int) -> str:
    """The last `n_words` words of `before`, not crossing a sentence or clause boundary."""
    cut = 0
    for m in _BOUNDARY.finditer(before):
        cut = m.end()
    words = before[cut:].split()
    return " ".join(words[-n_words:])


def _clean_short(inner: str) -> str:
    # "(SR; Dong et al.)" and "(CLIP, Radford …)": the short form is the first part
    return _SHORT_END.split(inner, maxsplit=1)[0].strip()


def _last_word(text: str) -> str:
    """The last run of non-space characters of `text` ("" if none): what ``(\\S+)\\s*$``
    finds, without that pattern's scan of the whole text, which is quadratic in word length
    (Python's ``\\s`` is exactly ``str.isspace``, which ``str.rsplit`` splits on)."""
    parts = text.rsplit(None, 1)
    return parts[-1] if parts else ""


def find_definitions(text: str) -> Iterator[tuple[str, str]]:
    """Yield (short form, long form) for every acronym defined in `text`."""
    for m in _PAREN.finditer(text):
        inner = m.group(1).strip()
        short = _clean_short(inner)
        before = text[: m.start()]
        if is_short_form(short):
            n_words = min(len(short) + 5, 2 * len(short))
            long_form = match_long_form(short, _window(before, n_words))
            if long_form:
                yield short, long_form
            continue
        # reverse order: "CLIP (Contrastive Language-Image Pre-training)"
        prev = _last_word(before)
        if prev and len(inner.split()) >= 2:
            short = prev.strip(",;:")
            if is_short_form(short) and len(inner.split()) <= min(len(short) + 5, 2 * len(short)):
                long_form = match_long_form(short, inner)
                if long_form == inner:
                    yield short, long_form


_TITLE_NAME = re.compile(r"^\s*([^:\s][^:]{0,30}?)\s*:\s*(\S.*)$")


def title_definition(title: str) -> tuple[str, str] | None:
    """("CyCADA", "Cycle-Consistent Adversarial Domain Adaptation") for a title such as
    "CyCADA: Cycle-Consistent Adversarial Domain Adaptation", when the words right after the
    colon spell the name; None otherwise ("FedHyper: A Universal …" is no definition)."""
    m = _TITLE_NAME.match(title or "")
    if not m or not is_short_form(m.group(1)):
        return None
    short, rest = m.group(1), m.group(2).split()
    capitals = sum(c.isupper() for c in short)
    parts = 0
    for n, word in enumerate(rest, start=1):
        # an acronym inside the long form spells as many letters as it has capitals
        # ("DR-BiLSTM: Dependent Reading Bidirectional LSTM for …")
        parts += sum(_letters(p) for p in re.split(r"[-/]", word) if p and p.lower() not in _STOP)
        if parts == capitals:
            candidate = " ".join(rest[:n]).rstrip(",;")
            return (short, candidate) if match_long_form(short, candidate) == candidate else None
        if parts > capitals:
            return None
    return None


_STOP = frozenset("of and for the in on with to a an via by from".split())


def _letters(part: str) -> int:
    """How many letters of a short form a word of its long form spells: one, or the capitals
    of a word that is itself an acronym ("LSTM", "CNN")."""
    caps = sum(c.isupper() for c in part)
    return caps if caps >= 2 and caps == sum(c.isalpha() for c in part) else 1
