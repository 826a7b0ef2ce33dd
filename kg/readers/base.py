"""What every reader shares: the run's counts (:class:`ReadStats`) and the policy for bad input
(:class:`ReadContext`: raise, or skip and record).

A reader module exposes ``NAME``, ``SUFFIXES`` and ``read(source: Input, context: ReadContext)
-> Iterator[Paper]``. It raises :class:`~kg.errors.InputError` for a bad *file*; for a bad
*record* it calls :meth:`ReadContext.error`, which raises or records a
:class:`~kg.models.Skipped` and lets the reader go on with the next record.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from kg.errors import InputError
from kg.models import Skipped


@dataclass
class ReadStats:
    """Counts of one read, for the run summary. :func:`kg.readers.read_papers` fills `files`,
    `files_skipped`, `entries` and `per_file`; :func:`kg.readers.dedupe` fills `papers` and
    `duplicates`; `skipped` and `notes` count records skipped for errors and stray lines."""

    files: int = 0  # inputs read to the end (stdin counts as one)
    files_skipped: int = 0  # inputs given up as a whole (skip_errors)
    entries: int = 0  # paper records read, duplicates included
    papers: int = 0  # distinct papers after merging duplicates
    duplicates: int = 0  # records folded into an earlier one
    skipped: int = 0  # bad records or files skipped
    notes: int = 0  # lines outside any paper entry (listings)
    per_file: dict[str, int] = field(default_factory=dict)  # entries per input


@dataclass
class ReadContext:
    """How a read handles bad input. With `skip_errors` False an error raises; with True it is
    appended to `skipped` and counted. Notes (not errors: a stray line in a listing) are always
    recorded when a `skipped` list is given, and never raise."""

    skip_errors: bool = False
    skipped: list[Skipped] | None = None
    stats: ReadStats = field(default_factory=ReadStats)

    def error(self, exc: InputError) -> None:
        """A bad record: raise `exc`, or skip it (recorded) when skipping errors."""
        if not self.skip_errors:
            raise exc
        self.stats.skipped += 1
        if self.skipped is not None:
            self.skipped.append(Skipped(exc.location, exc.reason))

    def note(self, source: str, message: str, line: int | None = None) -> None:
        """Something left out that is not an error (a stray line); recorded, never raised."""
        self.stats.notes += 1
        if self.skipped is not None:
            where = f"{source}:{line}" if line is not None else source
            self.skipped.append(Skipped(where, message))
