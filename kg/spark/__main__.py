"""``python -m kg.spark …`` and ``spark-submit kg/spark/__main__.py …``: the `kg spark` commands."""

from __future__ import annotations

import sys

import click

from kg.errors import KGError


def main() -> None:
    from kg.cli.spark import command

    try:
        command.main(prog_name="python -m kg.spark", standalone_mode=False)
    except KGError as exc:
        click.echo(f"Error: {exc}", err=True)
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(exc.exit_code)
    except click.exceptions.Abort:
        sys.exit(1)


if __name__ == "__main__":
    main()
