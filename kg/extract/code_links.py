"""Code repositories linked from the abstract: GitHub, GitLab, Bitbucket and Hugging Face.

:func:`find_code_links` is a plain function over text; the component stores its findings in
``doc.user_data[CODE_LINKS]`` as ``(start, end, url, host, owner, name)`` tuples with exact Doc
character offsets (a URL token may carry a trailing full stop that is not part of the link).
"""

from __future__ import annotations

import re
from typing import Iterator, NamedTuple

from spacy.tokens import Doc

from kg.extract.candidates import doc_text

CODE_LINKS = "kg_code_links"

_HOSTS = {
    "github.com": "github.com",
    "gitlab.com": "gitlab.com",
    "bitbucket.org": "bitbucket.org",
    "huggingface.co": "huggingface.co",
    "hf.co": "huggingface.co",
}
_URL = re.compile(
    r"(?:https?://)?(?:www\.)?(github\.com|gitlab\.com|bitbucket\.org|huggingface\.co|hf\.co)"
    r"(/[^\s,;()<>\"'\]\[]+)",
    re.I,
)
#: Hugging Face path prefixes that say what kind of repository follows.
_HF_KINDS = {"datasets", "spaces", "models"}


class Link(NamedTuple):
    start: int
    end: int
    url: str
    host: str
    owner: str
    name: str


def find_code_links(text: str) -> Iterator[Link]:
    """Yield every repository link in `text`; the span excludes trailing punctuation."""
    lowered = text.lower()
    if not any(host in lowered for host in _HOSTS):
        return
    for m in _URL.finditer(text):
        if m.start() > 0 and (text[m.start() - 1].isalnum() or text[m.start() - 1] in "@."):
            continue  # an e-mail address or a longer host name
        url = m.group(0).rstrip(".:!?'\"")
        host = _HOSTS[m.group(1).lower()]
        parts = [p for p in url.split(m.group(1), 1)[1].split("/") if p]
        if host == "huggingface.co" and parts and parts[0] in _HF_KINDS:
            parts = parts[1:]
        if host == "huggingface.co" and len(parts) == 1:
            owner, name = "", parts[0]  # a model without an organisation: hf.co/bert-base-uncased
        elif len(parts) >= 2:
            owner, name = parts[0], re.sub(r"\.git$", "", parts[1])
        else:
            continue  # a user page or the bare host, not a repository
        yield Link(m.start(), m.start() + len(url), url, host, owner, name)


class CodeLinkFinder:
    """Stores the Doc's repository links in `doc.user_data`."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __call__(self, doc: Doc) -> Doc:
        doc.user_data[CODE_LINKS] = [tuple(link) for link in find_code_links(doc_text(doc))]
        return doc
