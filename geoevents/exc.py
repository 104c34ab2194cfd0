"""Errors raised by geoevents.

One root error, :class:`GeoeventsError`; each subclass also inherits the builtin
that describes it, so ``except ValueError`` keeps working (geopy's habit).
"""

from __future__ import annotations

__all__ = [
    "GeoeventsError",
    "GazetteerError",
    "InputError",
    "OutputError",
]


class GeoeventsError(Exception):
    """Root of every error geoevents raises on purpose."""


class GazetteerError(GeoeventsError, RuntimeError):
    """The bundled gazetteer artifact is missing or unreadable."""


class InputError(GeoeventsError, ValueError):
    """Bad user input: names the file and line and what was expected.

    Parameters
    ----------
    message : str
        What was wrong and what was expected.
    path : str, optional
        The input file (``"-"`` for standard input).
    line : int, optional
        1-based line (or row) number.
    """

    def __init__(self, message: str, path: str | None = None, line: int | None = None):
        self.message = message
        self.path = path
        self.line = line
        super().__init__(str(self))

    def __str__(self) -> str:
        where = ""
        if self.path is not None:
            where = f"{self.path}:{self.line}: " if self.line is not None else f"{self.path}: "
        return f"{where}{self.message}"


class OutputError(GeoeventsError, OSError):
    """An output could not be written (unwritable path, missing directory...)."""
