"""The `kg` command line. One module per command (group); this module only assembles them.

The library raises :class:`kg.errors.KGError`; :func:`main` turns it into a message on stderr
and the error's exit code, so no command needs its own error handling.
"""

from __future__ import annotations

import importlib
import sys

import click

from kg import __version__
from kg.errors import KGError

# module name under kg.cli -> click command object name in it (always `command`).
COMMANDS = [
    "build",
    "extract",
    "stats",
    "entities",
    "eval",
    "spark",
    "export",
    "load",
]


class KGGroup(click.Group):
    """Click group that reports KGError as `Error: …` with the error's exit code."""

    def invoke(self, ctx: click.Context):  # noqa: D102
        try:
            return super().invoke(ctx)
        except KGError as exc:
            click.echo(f"Error: {exc}", err=True)
            sys.exit(exc.exit_code)


@click.group(cls=KGGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="kg")
def main() -> None:
    """paperkg: knowledge graphs of methods, datasets, tasks, metrics and claims.

    \b
    Example:
      kg build data/seeds -o papers.graphml
    """


for _name in COMMANDS:
    main.add_command(importlib.import_module(f"kg.cli.{_name}").command)
