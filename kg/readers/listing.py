"""Paper-listing captures (``*.txt``): text copied from a listing page such as Hugging Face's
daily papers, a title line followed by its abstract, repeated, with page furniture around them.

How a capture is read:

1. Every line is stripped; blank lines carry no meaning (captures come with and without them).
2. Page furniture is dropped: subscribe prompts, "new", dates such as "Mar 14", vote counts,
   "Get trending papers…", "byAK and the research community" (:data:`FURNITURE`). Furniture
   glued to the front of a line without a space ("SubscribeFair Densities…") is cut off.
3. Each remaining line is classed by its own shape (:func:`line_kind`): an *abstract* is long
   or made of sentences (ends with a full stop, has several sentences); a *title* is short,
   has no sentence inside it and does not end with a full stop (a "?" is fine: "Are Neural
   Ranking Models Robust?"); anything else is *other*.
4. A title is a title line followed by an abstract line. The abstract runs on over further
   abstract and *other* lines (multi-paragraph abstracts) until the next title.
5. Two abstract lines in a row where the first ends in a glued title ("…in practice.Fair
   Densities via Boosting") are split where a sentence end meets the title without a space
   (:func:`split_glued_title`).

Lines that belong to no entry and are not known furniture (a title line with no abstract, text
before the first title) are reported as notes, never dropped silently. A capture in which no
paper is found is an :class:`~kg.errors.InputError`.

Limits: a title glued to an abstract that does not end with a sentence end (a bare URL) cannot
be told apart from the abstract; a one-line abstract shorter than about eight words is taken for
a title; lines ending in a lone carriage return (old Mac files) are not split.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Literal

from kg.errors import InputError
from kg.models import Paper
from kg.readers.base import ReadContext
from kg.readers.ids import paper_id
from kg.readers.sources import Input, decode

NAME = "listing"
SUFFIXES = (".txt",)

Kind = Literal["title", "abstract", "other"]

_MONTH = r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?"

# Whole lines of page furniture (matched case-insensitively against the stripped line).
FURNITURE: tuple[str, ...] = (
    r"new",
    r"subscribed?",
    r"unsubscribe",
    r"get trending papers\b.*",
    r"by\s*\S+ and the research community",
    r"(?:daily|trending|top|featured) papers(?: \S+)?",
    r"(?:submitted|published|posted|added) (?:by|on) \S.*",
    rf"{_MONTH} \d{{1,2}}(?:st|nd|rd|th)?(?:,? \d{{4}})?",
    rf"\d{{1,2}} {_MONTH}(?:,? \d{{4}})?",
    r"\d{4}-\d{2}-\d{2}",
    r"(?:today|yesterday|this (?:week|month|year)|last (?:week|month|year))",
    r"(?:\d+\s*)?(?:up)?votes?(?:\s*\d+)?",
    r"[\d.,]+\s*[km]?\s*(?:upvotes?|comments?|likes?|authors?|stars?|views?)?",
    r"(?:view|read|open) (?:arxiv page|pdf|paper|abstract|more|all)",
    r"(?:add to collection|show more|show less|load more|see all|read more)",
    r"(?:previous|next|prev)(?: (?:page|day|week|month))?",
    r"(?:abstract|authors?|comments?|code|paper|pdf)\s*:?",
    r"sign (?:in|up)|log ?in|log ?out",
    r"[^\w]*",  # no word character at all: "·", "—", "•••"
)
_FURNITURE_LINE = re.compile("|".join(f"(?:{p})" for p in FURNITURE), re.IGNORECASE)

# Furniture that may be glued to the start of the next line ("SubscribeFair Densities…"),
# case-sensitive as the page writes it; only cut when an upper-case letter or digit follows.
GLUED_PREFIXES: tuple[str, ...] = (
    r"Get trending papers in your email inbox(?: once a day)?!",
    r"by\s*\S+ and the research community",
    r"Subscribe",
    r"new",
    rf"(?i:{_MONTH}) \d{{1,2}}(?:,? \d{{4}})?",
)
_GLUED_PREFIX = re.compile("|".join(f"(?:{p})" for p in GLUED_PREFIXES))

_SENTENCE_END = re.compile(r"[.!?][\"')\]]*\s+[\"'(\[]?[A-Z0-9]")
# A sentence end (maybe closed by a quote or bracket) with a word right after it, no space:
# where a glued title may start.
_GLUE_POINT = re.compile(r"[.!?][\"'\u201d\u2019)\]]?(?=\w)")

# Shape thresholds (characters / words). Titles on arXiv are at most ~250 characters; abstracts
# are rarely under ~300, but a one-sentence abstract ending in a full stop still counts.
MAX_TITLE_CHARS = 300
MAX_TITLE_WORDS = 40
LONG_ABSTRACT_CHARS = 400
MIN_SENTENCE_WORDS = 8


@dataclass
class Line:
    """A content line of the capture: its 1-based number, stripped text and shape."""

    number: int
    text: str
    kind: Kind


@dataclass
class Entry:
    """One paper entry found in a capture."""

    title: str
    abstract: str
    line: int  # 1-based line of the title


Note = Callable[[int, str], None]

# Reasons given for lines left out (stable strings, so a summary can count them).
NOTE_TITLE = "listing: title-like line with no abstract after it, left out"
NOTE_TEXT = "listing: text outside any paper entry, left out"


def read(source: Input, context: ReadContext) -> Iterator[Paper]:
    """Papers of a listing capture, in page order. A line that is not UTF-8 fails the whole
    capture (its entries cannot be trusted); stray lines become notes in `context`."""
    lines = [decode(raw, source.name, number) for number, raw in source.lines()]
    entries = parse(lines, note=lambda line, message: context.note(source.name, message, line))
    if not entries:
        raise InputError(source.name, "no paper found: no title line followed by an abstract")
    for entry in entries:
        yield Paper(
            id=paper_id(entry.title, entry.abstract),
            title=entry.title,
            abstract=entry.abstract,
            sources=[f"{source.name}:{entry.line}"],
        )


def parse(lines: list[str], *, note: Note | None = None) -> list[Entry]:
    """The paper entries in the lines of a capture (no line ends). `note(line, message)` hears
    about every line that is neither furniture nor part of an entry."""
    content = _split_glued(_content_lines(lines))
    entries: list[Entry] = []
    current: Entry | None = None
    i = 0
    while i < len(content):
        line = content[i]
        following = content[i + 1] if i + 1 < len(content) else None
        if line.kind == "title" and following is not None and following.kind == "abstract":
            current = Entry(line.text, following.text, line.number)
            entries.append(current)
            i += 2
            continue
        if current is not None and _continues_abstract(line):
            current.abstract = f"{current.abstract} {line.text}"
        else:
            current = None  # the run of the last entry's abstract is broken
            if note is not None:
                note(line.number, NOTE_TITLE if line.kind == "title" else NOTE_TEXT)
        i += 1
    return entries


def _continues_abstract(line: Line) -> bool:
    """Whether a line after an abstract is more of it (another paragraph) rather than a stray
    short line: abstract-shaped, or ending like a sentence, or a link ("Code: https://…")."""
    if line.kind != "title":
        return True
    return line.text.endswith((".", "!", ":", ";")) or "://" in line.text


def _content_lines(lines: list[str]) -> list[Line]:
    out: list[Line] = []
    for number, raw in enumerate(lines, start=1):
        text = raw.strip()
        if not text or is_furniture(text):
            continue
        text = strip_glued_furniture(text)
        out.append(Line(number, text, line_kind(text)))
    return out


def is_furniture(text: str) -> bool:
    """True when the whole (stripped) line is page furniture."""
    return _FURNITURE_LINE.fullmatch(text) is not None


def strip_glued_furniture(text: str) -> str:
    """The line without furniture glued to its front (``"SubscribeFair Densities"`` →
    ``"Fair Densities"``); unchanged when nothing is glued."""
    while True:
        match = _GLUED_PREFIX.match(text)
        if not match or match.end() >= len(text):
            return text
        rest = text[match.end():]
        if not (rest[0].isupper() or rest[0].isdigit()):
            return text
        text = rest


def line_kind(text: str) -> Kind:
    """Class a content line by its shape alone: ``abstract``, ``title`` or ``other``."""
    words = len(text.split())
    sentences = len(_SENTENCE_END.findall(text))
    ends_full_stop = text.endswith(".") and not text.endswith("..")
    ends_ellipsis = text.endswith(("…", "..."))
    if len(text) >= LONG_ABSTRACT_CHARS:
        return "abstract"
    if words >= MIN_SENTENCE_WORDS and (ends_full_stop or ends_ellipsis) and not _title_cased(text):
        return "abstract"
    if sentences >= 2 and words >= 2 * MIN_SENTENCE_WORDS:
        return "abstract"
    if words >= 2 * MIN_SENTENCE_WORDS and _prose_sentence(text):
        return "abstract"  # a short abstract with a title glued on, or missing its full stop
    if len(text) <= MAX_TITLE_CHARS and words <= MAX_TITLE_WORDS and sentences <= 1:
        if not ends_full_stop or _title_cased(text) or words < MIN_SENTENCE_WORDS:
            return "title"
    return "other"


_FULL_STOP = re.compile(r"(?<=[^\s.])\.[\"')\]]*\s*(?=[A-Z])")


def _prose_sentence(text: str) -> bool:
    """A sentence of at least :data:`MIN_SENTENCE_WORDS` words ends inside the line (a full
    stop before a capital, with or without a space): prose, which titles are not."""
    return any(
        len(text[: m.start()].split()) >= MIN_SENTENCE_WORDS for m in _FULL_STOP.finditer(text)
    )


_MINOR_WORDS = frozenset(
    "a an and as at but by for from in into of on or over the to under via vs with without".split()
)


def _title_cased(text: str) -> bool:
    """Most content words capitalised, as in "Deep Learning on a Data Diet"."""
    words = [w for w in re.findall(r"[^\W\d_][\w'-]*", text) if w.lower() not in _MINOR_WORDS]
    if len(words) < 3:
        return False
    return sum(w[0].isupper() for w in words) / len(words) >= 0.7


def split_glued_title(text: str) -> tuple[str, str] | None:
    """(abstract, title) when `text` is an abstract with a title glued to its end, e.g.
    ``"…over the baselines.Fair Densities via Boosting"``; None when no such split exists.
    The title starts after the last sentence end directly followed by a capital, a digit not
    after a digit ("3D…" but not "3.5") or a camel-cased word ("sharpDARTS"); it must be
    title-shaped, not part of a URL, and what comes before must still be abstract-shaped."""
    for match in reversed(list(_GLUE_POINT.finditer(text))):
        head, tail = text[: match.end()], text[match.end():].strip()
        first, word = tail[0], tail.split(maxsplit=1)[0]
        after_digit = match.start() > 0 and text[match.start() - 1].isdigit()
        if first.isdigit() and after_digit:
            continue
        if not (first.isupper() or first.isdigit() or any(c.isupper() for c in word)):
            continue
        if "/" in word:  # inside a URL ("…/FedHyper.Net/tree"); after one is fine ("…/x.Title")
            continue
        if line_kind(tail) == "title" and line_kind(head) == "abstract":
            return head, tail
    return None


def _split_glued(lines: list[Line]) -> list[Line]:
    """Split abstract lines with a glued title: only where an abstract is followed by another
    abstract with no title between them, since that is the only place a title can be missing."""
    out: list[Line] = []
    for i, line in enumerate(lines):
        following = lines[i + 1] if i + 1 < len(lines) else None
        if line.kind == "abstract" and following is not None and following.kind == "abstract":
            split = split_glued_title(line.text)
            if split is not None:
                out.append(Line(line.number, split[0], "abstract"))
                out.append(Line(line.number, split[1], "title"))
                continue
        out.append(line)
    return out
