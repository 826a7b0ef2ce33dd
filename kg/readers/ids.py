"""Paper identity (DESIGN.md): ``arxiv:<id>`` when the arXiv id is known, a JSONL paper's own
``id`` as given, else ``paper:<hash of the normalised title>``.

The hash is the first 16 hex digits of the SHA-1 of the normalised title, so the same title read
from two captures (or typed with other case, spacing, punctuation or unicode forms) gets the same
id on every run and every machine. A paper without a title is keyed by its abstract instead.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

ARXIV_PREFIX = "arxiv"
HASH_PREFIX = "paper"

# New-style ids (0704.0001, 2301.12345) and old-style ones (hep-th/9901001, math.GT/0309136),
# with an optional version that is not part of the paper's identity.
_ARXIV_NEW = r"\d{4}\.\d{4,5}"
_ARXIV_OLD = r"[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7}"
_ARXIV_ID = re.compile(rf"(?:arxiv:)?({_ARXIV_NEW}|{_ARXIV_OLD})(?:v\d+)?", re.IGNORECASE)
_ARXIV_URL = re.compile(
    rf"^(?:https?://)?(?:www\.|export\.)?arxiv\.org/(?:abs|pdf|html)/({_ARXIV_NEW}|{_ARXIV_OLD})"
    r"(?:v\d+)?(?:\.pdf)?/?(?:[?#].*)?$",
    re.IGNORECASE,
)


def normalise_text(text: str) -> str:
    """Text reduced to what identifies it: NFKC, case-folded, punctuation and symbols turned
    into spaces, whitespace collapsed: ``"Deep-Learning:  A Survey"`` → ``"deep learning a
    survey"``."""
    text = unicodedata.normalize("NFKC", text).casefold()
    chars = [" " if unicodedata.category(c)[0] in "PSZC" else c for c in text]
    return " ".join("".join(chars).split())


def text_hash(text: str) -> str:
    """Stable short hash (16 hex digits of SHA-1) of the normalised text."""
    return hashlib.sha1(normalise_text(text).encode("utf-8")).hexdigest()[:16]


def arxiv_id(value: str | None) -> str | None:
    """The bare arXiv id (no version) in an id such as ``2301.12345v2`` / ``arXiv:hep-th/9901001``
    or an arxiv.org abs/pdf URL; None when `value` is neither."""
    if not value:
        return None
    value = value.strip()
    match = _ARXIV_ID.fullmatch(value) or _ARXIV_URL.match(value)
    return match.group(1) if match else None


def hash_id(title: str, abstract: str = "") -> str:
    """``paper:<hash>`` of the normalised title, or of the abstract when there is no title."""
    key = title if normalise_text(title) else abstract
    return f"{HASH_PREFIX}:{text_hash(key)}"


def paper_id(
    title: str, abstract: str = "", *, own_id: str | None = None, url: str | None = None
) -> str:
    """The graph id of a paper, by DESIGN.md's rules, in this order: an `own_id` that is an arXiv
    id → ``arxiv:<id>``; any other `own_id` as it is; an arXiv `url` → ``arxiv:<id>``; else the
    hash of the title (or abstract)."""
    if own_id:
        found = arxiv_id(own_id)
        return f"{ARXIV_PREFIX}:{found}" if found else own_id
    found = arxiv_id(url)
    if found:
        return f"{ARXIV_PREFIX}:{found}"
    return hash_id(title, abstract)


def is_hash_id(pid: str) -> bool:
    """True for ids made from the text (``paper:…``), which a known id may replace."""
    return pid.startswith(HASH_PREFIX + ":")
