"""Stage 6 helper — dates and times in news text, resolved against the publication date.

Rules, not a model: every expression the events stage understands is one regular
expression below, and each resolves to a :class:`DateMatch` with ACLED's
``time_precision`` (1: the day is known, 2: the week, 3: the month or wider).

Conventions (a news report describes the past):

* a weekday ("on Friday") is the most recent such day on or before publication;
  "last Friday" is the most recent one strictly before it;
* a day without a year ("December 2", "Dec. 2", "2 December") takes the publication
  year, rolled back one year if that would fall after publication;
* "early/mid/late October" are the windows 1–10, 11–20 and 21–end of the month
  (precision 2); "since mid-October" is a range from the 15th to publication,
  "since early October" from the 1st, "since late October" from the 21st
  (precision 3, as the range spans weeks);
* "last week" is Monday–Sunday of the week before publication (precision 2);
  "last month" the whole previous month (precision 3);
* times ("around 4:15 a.m.", "at 23:40", "noon") give :attr:`DateMatch.time` as
  ``HH:MM``.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

__all__ = ["DateMatch", "find_dates", "find_time", "parse_date", "to_date"]

_MONTHS = {m.lower(): i for i, m in enumerate(calendar.month_name) if m}
_MONTHS.update({m.lower(): i for i, m in enumerate(calendar.month_abbr) if m})
_MONTHS["sept"] = 9
_WEEKDAYS = {d.lower(): i for i, d in enumerate(calendar.day_name)}

_MON = (r"(?-i:(?P<mon>January|February|March|April|May|June|July|August|September|October|"
        r"November|December|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept|Sep|Oct|Nov|Dec))\.?")
_MON2 = _MON.replace("?P<mon>", "?P<mon2>")
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
_YEAR = r"(?:,?\s+(?P<year>(?:19|20)\d\d))?"
_WD = r"(?-i:(?P<wd>Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday))"
_NUMBERS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1}

# Order matters: the first pattern that matches at a position wins, and matches do
# not overlap (longer, more specific expressions come first).
_PATTERNS: list[tuple[str, re.Pattern]] = [(name, re.compile(rx, re.I)) for name, rx in [
    ("iso", r"\b(?P<y>(?:19|20)\d\d)-(?P<m>[01]\d)-(?P<d>[0-3]\d)\b"),
    ("since_part", r"\bsince\s+(?:the\s+)?(?P<part>early|mid|late|end\s+of|beginning\s+of|"
                   r"the\s+start\s+of|the\s+end\s+of|start\s+of|middle\s+of)[\s-]+" + _MON + _YEAR
                   + r"\b"),
    ("since_mdy", r"\bsince\s+" + _MON + r"\s+" + _DAY + _YEAR + r"\b"),
    ("since_dmy", r"\bsince\s+" + _DAY + r"\s+(?:of\s+)?" + _MON + _YEAR + r"\b"),
    ("since_month", r"\bsince\s+" + _MON + _YEAR + r"\b"),
    ("range_md", r"\b(?:between|from)\s+" + _MON + r"\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?"
                 r"\s+(?:and|to|until)\s+(?:" + _MON2 + r"\s+)?(?P<day2>[0-3]?\d)(?:st|nd|rd|th)?"
                 + _YEAR + r"\b"),
    ("mdy", r"\b(?:" + _WD + r",?\s+)?" + _MON + r"\s+" + _DAY + r"(?!\d)" + _YEAR
            + r"(?!\s*(?:%|percent|km|miles))\b"),
    ("dmy", r"\b(?:" + _WD + r",?\s+)?(?:the\s+)?" + _DAY + r"\s+(?:of\s+)?" + _MON + _YEAR
            + r"\b"),
    ("part", r"\b(?P<part>early|mid|late|end\s+of|beginning\s+of|the\s+start\s+of|"
             r"the\s+end\s+of|start\s+of|middle\s+of)[\s-]+" + _MON + _YEAR + r"\b"),
    ("month", r"\b(?:in|during|throughout|since|last|this)\s+" + _MON + _YEAR + r"\b"),
    ("daybefore", r"\bthe\s+day\s+before\s+yesterday\b"),
    ("yesterday", r"\byesterday\b|\blast\s+night\b"),
    ("today", r"\b(?:today|this\s+(?:morning|afternoon|evening)|tonight|earlier\s+today)\b"),
    ("ago", r"\b(?P<n>\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|a|an)\s+"
            r"(?P<unit>day|week|month)s?\s+ago\b"),
    ("since_lastweek", r"\bsince\s+last\s+week\b"),
    ("lastweek", r"\blast\s+week\b"),
    ("thisweek", r"\b(?:earlier\s+)?this\s+week\b"),
    ("lastmonth", r"\blast\s+month\b"),
    ("thismonth", r"\b(?:earlier\s+)?this\s+month\b"),
    ("weekday", r"\b(?:(?P<last>last|this\s+past|past)\s+)?" + _WD + r"\b"),
]]

_TIME = re.compile(
    r"\b(?P<h>[01]?\d|2[0-3])(?:[:.](?P<min>[0-5]\d))?\s*(?P<ap>a\.?m\.?|p\.?m\.?)(?![a-z])"
    r"|\b(?P<h24>[01]\d|2[0-3]):(?P<m24>[0-5]\d)\b(?!\s*(?:a\.?m|p\.?m))"
    r"|\b(?P<word>noon|midday|midnight)\b", re.I)


@dataclass(frozen=True, slots=True)
class DateMatch:
    """One date expression found in a text and what it resolves to.

    Attributes
    ----------
    start, end : int
        Character offsets of the expression.
    text : str
        The expression as written.
    date : datetime.date
        The (first) day it designates.
    date_end : datetime.date or None
        Last day of a range ("since mid-October", "last week"), else ``None``.
    time_precision : int
        ACLED's 1 (day), 2 (week), 3 (month or wider).
    kind : str
        Which rule matched (``"weekday"``, ``"mdy"``, ``"since_part"``...).
    """

    start: int
    end: int
    text: str
    date: dt.date
    date_end: dt.date | None
    time_precision: int
    kind: str


def to_date(value: dt.date | dt.datetime | str | None) -> dt.date | None:
    """Coerce a publication date (date, datetime or ISO string) to a ``date``.

    Examples
    --------
    >>> to_date("2023-12-08T06:30:00Z")
    datetime.date(2023, 12, 8)
    """
    if value is None or value == "":
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    d = parse_date(str(value))
    if d is None:
        raise ValueError(f"not a date: {value!r} (expected YYYY-MM-DD)")
    return d


_ISO = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})(?:[T ][0-9:.]+(?:Z|[+-]\d\d:?\d\d)?)?\s*$")
_TEXT_FORMATS = ("%d %B %Y", "%d %b %Y", "%d-%B-%Y", "%d-%b-%Y", "%B %d, %Y", "%b %d, %Y",
                 "%B %d %Y", "%b %d %Y", "%Y/%m/%d", "%Y%m%d", "%d.%m.%Y")


def parse_date(value: str) -> dt.date | None:
    """Parse an absolute date as found in event records; ``None`` if not a date.

    Accepts ISO 8601 dates and datetimes, ACLED's ``"08 December 2023"``, ``"Dec 8, 2023"``,
    ``"2023/12/08"``, ``"08.12.2023"``, and ``d/m/Y`` or ``m/d/Y`` only when the day is
    unambiguous (above 12).

    Examples
    --------
    >>> parse_date("08 December 2023"), parse_date("2023-12-08T04:15:00Z")
    (datetime.date(2023, 12, 8), datetime.date(2023, 12, 8))
    >>> parse_date("03/04/2023") is None  # 3 April or March 4?
    True
    """
    s = value.strip()
    m = _ISO.match(s)
    if m:
        try:
            return dt.date(int(m[1]), int(m[2]), int(m[3]))
        except ValueError:
            return None
    for fmt in _TEXT_FORMATS:
        try:
            return dt.datetime.strptime(s.replace("Sept ", "Sep "), fmt).date()
        except ValueError:
            continue
    m = re.match(r"^(\d{1,2})/(\d{1,2})/(\d{4})$", s)
    if m:
        a, b, y = int(m[1]), int(m[2]), int(m[3])
        try:
            if a > 12 >= b:
                return dt.date(y, b, a)
            if b > 12 >= a:
                return dt.date(y, a, b)
        except ValueError:
            return None
    return None


def _month_end(y: int, m: int) -> dt.date:
    return dt.date(y, m, calendar.monthrange(y, m)[1])


def _roll_back(d: dt.date, pub: dt.date, explicit_year: bool) -> dt.date:
    if not explicit_year and d > pub:
        try:
            return d.replace(year=d.year - 1)
        except ValueError:  # 29 February
            return d.replace(year=d.year - 1, day=28)
    return d


_PARTS = {"early": (1, 10, 1), "beginning of": (1, 10, 1), "start of": (1, 10, 1),
          "the start of": (1, 10, 1), "mid": (11, 20, 15), "middle of": (11, 20, 15),
          "late": (21, 31, 21), "end of": (21, 31, 21), "the end of": (21, 31, 21)}


def _resolve(kind: str, m: re.Match, pub: dt.date
             ) -> tuple[dt.date, dt.date | None, int] | None:
    g = m.groupdict()
    year = int(g["year"]) if g.get("year") else None
    if kind == "iso":
        try:
            return dt.date(int(g["y"]), int(g["m"]), int(g["d"])), None, 1
        except ValueError:
            return None
    if kind in ("mdy", "dmy", "since_mdy", "since_dmy"):
        mon, day = _MONTHS[g["mon"].lower().rstrip(".")], int(g["day"])
        try:
            d = dt.date(year or pub.year, mon, day)
        except ValueError:
            return None
        d = _roll_back(d, pub, year is not None)
        if kind.startswith("since"):
            return d, pub, 3 if (pub - d).days > 13 else 2
        return d, None, 1
    if kind == "range_md":
        mon = _MONTHS[g["mon"].lower().rstrip(".")]
        mon2 = _MONTHS[g["mon2"].lower().rstrip(".")] if g.get("mon2") else mon
        try:
            a = _roll_back(dt.date(year or pub.year, mon, int(g["day"])), pub, year is not None)
            b = dt.date(a.year + (1 if mon2 < mon else 0), mon2, int(g["day2"]))
        except ValueError:
            return None
        if b < a:
            return None
        span = (b - a).days
        return a, b, 1 if span == 0 else (2 if span < 7 else 3)
    if kind in ("part", "since_part", "month", "since_month"):
        mon = _MONTHS[g["mon"].lower().rstrip(".")]
        y = year or pub.year
        if year is None and dt.date(y, mon, 1) > pub:
            y -= 1
        last = calendar.monthrange(y, mon)[1]
        if kind in ("month", "since_month"):
            start, end = dt.date(y, mon, 1), dt.date(y, mon, last)
            if kind == "since_month":
                return start, pub, 3
            return start, min(end, pub), 3
        part = re.sub(r"\s+", " ", g["part"].lower())
        lo, hi, anchor = _PARTS[part]
        if kind == "since_part":
            return dt.date(y, mon, anchor), pub, 3
        return dt.date(y, mon, lo), min(dt.date(y, mon, min(hi, last)), pub), 2
    if kind == "daybefore":
        return pub - dt.timedelta(days=2), None, 1
    if kind == "yesterday":
        return pub - dt.timedelta(days=1), None, 1
    if kind == "today":
        return pub, None, 1
    if kind == "ago":
        n = g["n"].lower()
        n = int(n) if n.isdigit() else _NUMBERS[n]
        unit = g["unit"].lower()
        if unit == "day":
            return pub - dt.timedelta(days=n), None, 1
        if unit == "week":
            d = pub - dt.timedelta(weeks=n)
            monday = d - dt.timedelta(days=d.weekday())
            return monday, monday + dt.timedelta(days=6), 2
        y, mo = pub.year, pub.month - n
        while mo < 1:
            y, mo = y - 1, mo + 12
        return dt.date(y, mo, 1), _month_end(y, mo), 3
    if kind == "since_lastweek":
        return pub - dt.timedelta(days=pub.weekday() + 7), pub, 2
    if kind == "lastweek":
        monday = pub - dt.timedelta(days=pub.weekday() + 7)
        return monday, monday + dt.timedelta(days=6), 2
    if kind == "thisweek":
        return pub - dt.timedelta(days=pub.weekday()), pub, 2
    if kind == "lastmonth":
        y, mo = (pub.year, pub.month - 1) if pub.month > 1 else (pub.year - 1, 12)
        return dt.date(y, mo, 1), _month_end(y, mo), 3
    if kind == "thismonth":
        return pub.replace(day=1), pub, 3
    if kind == "weekday":
        wd = _WEEKDAYS[g["wd"].lower()]
        back = (pub.weekday() - wd) % 7
        if g.get("last") and back == 0:
            back = 7
        return pub - dt.timedelta(days=back), None, 1
    return None


def find_dates(text: str, published: dt.date | str | None) -> list[DateMatch]:
    """Find date expressions in ``text`` and resolve them against ``published``.

    Expressions that need a reference date (weekdays, "yesterday", days without a
    year) are skipped when ``published`` is ``None``; absolute ones (ISO dates, days
    with a year) are still returned. No resolved date falls after ``published``
    unless the text states the year.

    Parameters
    ----------
    text : str
        A sentence or a whole document.
    published : date or str or None
        Publication date of the report.

    Returns
    -------
    list of DateMatch
        In text order, not overlapping.

    Examples
    --------
    >>> [(d.text, str(d.date), d.time_precision)
    ...  for d in find_dates("Rockets hit the base on Friday.", "2023-12-08")]
    [('on Friday', '2023-12-08', 1)]
    >>> d = find_dates("attacks since mid-October", "2023-12-08")[0]
    >>> str(d.date), str(d.date_end), d.time_precision
    ('2023-10-15', '2023-12-08', 3)
    >>> str(find_dates("a call on Dec. 2", "2023-12-08")[0].date)
    '2023-12-02'
    >>> str(find_dates("clashes on 28 December", "2024-01-03")[0].date)
    '2023-12-28'
    """
    pub = to_date(published)
    taken: list[tuple[int, int]] = []
    out: list[DateMatch] = []
    for kind, rx in _PATTERNS:
        for m in rx.finditer(text):
            s, e = m.span()
            if any(s < b and a < e for a, b in taken):
                continue
            g = m.groupdict()
            if pub is None and not (kind == "iso" or g.get("year")):
                continue
            ref = pub or dt.date.max
            res = _resolve(kind, m, ref)
            if res is None:
                continue
            d, d_end, prec = res
            if kind in ("weekday", "mdy", "dmy") and not g.get("last"):
                pre = re.search(r"\b(?:on|by)\s+$", text[max(0, s - 4):s], re.I)
                if pre:  # "on Friday": the preposition belongs to the expression
                    s = max(0, s - 4) + pre.start()
            taken.append((s, e))
            out.append(DateMatch(s, e, text[s:e], d, d_end, prec, kind))
    out.sort(key=lambda x: x.start)
    return out


def find_time(text: str) -> tuple[str, int, int] | None:
    """Find the first clock time in ``text``, as ``("HH:MM", start, end)``, or ``None``.

    Examples
    --------
    >>> find_time("rockets were fired around 4:15 a.m. on Friday")
    ('04:15', 26, 35)
    >>> find_time("at 11 p.m.")[0], find_time("shortly after noon")[0]
    ('23:00', '12:00')
    """
    for m in _TIME.finditer(text):
        if m["word"]:
            return ("00:00" if m["word"].lower() == "midnight" else "12:00"), m.start(), m.end()
        if m["h24"]:
            return f"{int(m['h24']):02d}:{m['m24']}", m.start(), m.end()
        h = int(m["h"])
        if h > 12 or h == 0:
            continue
        pm = m["ap"].lower().startswith("p")
        h = (h % 12) + (12 if pm else 0)
        return f"{h:02d}:{m['min'] or '00'}", m.start(), m.end()
    return None
