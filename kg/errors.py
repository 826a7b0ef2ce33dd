"""The package's exceptions. Everything raised on purpose derives from :class:`KGError`;
the CLI turns it into a message on stderr and a non-zero exit code."""

from __future__ import annotations


class KGError(Exception):
    """Root of every error paperkg raises on purpose."""

    exit_code = 1


class InputError(KGError):
    """Bad input: names the file and, where it applies, the line."""

    exit_code = 2

    def __init__(self, source: str, message: str, line: int | None = None) -> None:
        self.source = source
        self.line = line
        self.reason = message
        where = f"{source}:{line}" if line is not None else source
        super().__init__(f"{where}: {message}")

    @property
    def location(self) -> str:
        return f"{self.source}:{self.line}" if self.line is not None else self.source


class ExtractionError(KGError):
    """The extraction pipeline could not be loaded or run."""


class GraphError(KGError):
    """A graph file cannot be read or does not follow the schema."""


class Neo4jError(KGError):
    """Talking to Neo4j failed (connection, authentication, a write that did not complete)."""

    exit_code = 3
