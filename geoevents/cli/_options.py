"""Option helpers shared by the commands."""

from __future__ import annotations

import datetime as dt

import click


def date_value(ctx, param, value):
    """Click callback: an ISO date (``YYYY-MM-DD``) or a usage error naming the option."""
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not a date; expected YYYY-MM-DD") from None
