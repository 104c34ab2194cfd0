"""The ``geoevents`` command line (click; one module per command).

Exit codes: 0 ok, 1 unexpected error, 2 usage error, 3 bad input, 4 output could not be
written, 5 gazetteer missing or unreadable, 130 interrupted (Ctrl-C).
"""

from __future__ import annotations

import logging
import sys

import click

from .. import __version__
from ..exc import GazetteerError, InputError, OutputError

EXIT_INPUT, EXIT_OUTPUT, EXIT_GAZETTEER, EXIT_INTERRUPTED = 3, 4, 5, 130


class GeoeventsGroup(click.Group):
    """Turns library errors into one-line messages and distinct exit codes."""

    def invoke(self, ctx: click.Context):
        """Run the command; report library errors as ``Error: ...`` and exit codes."""
        try:
            return super().invoke(ctx)
        except InputError as exc:
            _fail(str(exc), EXIT_INPUT)
        except OutputError as exc:
            _fail(str(exc), EXIT_OUTPUT)
        except GazetteerError as exc:
            _fail(str(exc), EXIT_GAZETTEER)
        except KeyboardInterrupt:
            _fail("interrupted; no output file was written", EXIT_INTERRUPTED)
        except BrokenPipeError:
            sys.stderr.close()
            sys.exit(0)


def _fail(message: str, code: int):
    click.echo(f"Error: {message}", err=True)
    sys.exit(code)


@click.group(cls=GeoeventsGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="geoevents")
@click.option("-v", "--verbose", count=True, help="More log output on stderr.")
@click.option("-q", "--quiet", is_flag=True, help="Only errors on stderr; no progress.")
@click.pass_context
def main(ctx: click.Context, verbose: int, quiet: bool):
    """Find places and events in news text and records; write GeoJSON and maps, offline."""
    level = logging.ERROR if quiet else (logging.WARNING - 10 * verbose)
    logging.basicConfig(level=max(level, logging.DEBUG), stream=sys.stderr,
                        format="%(levelname)s %(name)s: %(message)s")
    ctx.ensure_object(dict)
    ctx.obj["quiet"] = quiet


def _register():
    import importlib
    for name in ("gazetteer", "parse", "evaluate", "events", "map", "geojson"):
        try:
            mod = importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
            continue
        main.add_command(mod.command)


_register()
