"""Options and helpers shared by several commands."""

from __future__ import annotations

import contextlib
import dataclasses
import sys
from typing import Iterator

import click

from kg.errors import KGError

quiet_option = click.option("-q", "--quiet", is_flag=True, help="Print nothing but errors.")
skip_errors_option = click.option(
    "--skip-errors", is_flag=True,
    help="Skip bad records and files instead of stopping; they are counted and listed in the summary.",
)
jobs_option = click.option(
    "-j", "--jobs", type=click.IntRange(1), default=1, show_default=True, envvar="KG_JOBS",
    help="Extraction processes (the output does not depend on it).",
)
extractor_option = click.option(
    "--extractor", default="default", show_default=True, envvar="KG_EXTRACTOR",
    help="Extraction pipeline: 'default' (the trained pipeline), 'rules', or a folder holding a "
         "trained paperkg pipeline.",
)
cache_option = click.option(
    "--cache", "cache_dir", type=click.Path(file_okay=False), envvar="KG_CACHE", default=None,
    help="Extraction cache folder: papers already extracted by this pipeline version are not "
         "extracted again [KG_CACHE].",
)
aliases_option = click.option(
    "--aliases", "aliases_path", type=click.Path(dir_okay=False), default=None,
    help="Alias file of same-as / not-same-as lines applied when resolving entities.",
)


def neo4j_login_options(command):
    """--neo4j-user, --neo4j-database and --ask-password, for the commands that talk to Neo4j."""
    for option in reversed((
        click.option("--neo4j-user", envvar="KG_NEO4J_USER", default=None, help="Neo4j user [KG_NEO4J_USER]."),
        click.option("--neo4j-database", envvar="KG_NEO4J_DATABASE", default=None,
                     help="Neo4j database [KG_NEO4J_DATABASE, else the server's default]."),
        click.option("--ask-password", is_flag=True,
                     help="Prompt for the Neo4j password (not echoed) instead of reading KG_NEO4J_PASSWORD."),
    )):
        command = option(command)
    return command


def neo4j_settings(uri: str | None, user: str | None, database: str | None, ask_password: bool):
    """Connection settings from the options, then `KG_NEO4J_*`; with `ask_password` the password
    is read from the terminal (or stdin), so it stays out of the shell history and the environment."""
    from kg.neo4j import Settings

    settings = Settings.from_env(uri=None if uri in (None, "env") else uri, user=user, database=database)
    if ask_password:
        password = click.prompt(f"Neo4j password for {settings.user} at {settings.uri}",
                                hide_input=True, err=True)
        settings = dataclasses.replace(settings, password=password or None)
    return settings


@contextlib.contextmanager
def progress_bar(label: str, quiet: bool) -> Iterator:
    """A progress bar on stderr, or a no-op when quiet or stderr is not a terminal."""
    if quiet or not sys.stderr.isatty():
        yield lambda n: None
        return
    with click.progressbar(length=None, label=label, file=sys.stderr, show_pos=True) as bar:
        yield bar.update


def load_aliases(path: str | None):
    """The alias table from `path`, or None."""
    if not path:
        return None
    from kg.resolve import AliasTable

    return AliasTable.from_file(path)


def load_named_extractor(name: str, cache_dir: str | None = None):
    """The extractor called `name`, run in worker processes for --jobs > 1 and behind the
    extraction cache when `cache_dir` is given; raises KGError when it cannot be loaded."""
    from kg.extract import load_extractor
    from kg.parallel import ParallelExtractor

    try:
        extractor = ParallelExtractor(load_extractor(name))
    except KGError:
        raise
    except (OSError, ValueError) as exc:
        raise KGError(f"cannot load extractor {name!r}: {exc}") from exc
    if cache_dir:
        from kg.cache import CachedExtractor

        return CachedExtractor(extractor, cache_dir)
    return extractor
