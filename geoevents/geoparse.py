"""The geoparser: text in, resolved place mentions out.

Runs the stages in order — recognition → role → resolution → geometry — and hands
back :class:`~geoevents.mention.Mention` values.
"""

from __future__ import annotations

from collections import Counter

from .gazetteer import Gazetteer, Place
from .geometry import derived_precision
from .mention import Mention
from .recognition import lexicon_for, recognize, tokenize
from .resolution import resolve
from .role import assign_roles, unsupported

__all__ = ["geoparse", "focus", "Geoparser"]


class Geoparser:
    """A loaded geoparser (gazetteer plus name sets); reuse it for many texts.

    Parameters
    ----------
    gazetteer : Gazetteer, optional
        Defaults to the bundled gazetteer.
    """

    def __init__(self, gazetteer: Gazetteer | None = None):
        self.gazetteer = gazetteer or Gazetteer.load()
        self.lexicon = lexicon_for(self.gazetteer)
        self.gazetteer.priors  # noqa: B018 - built here, with the rest of the load

    def __call__(self, text: str) -> list[Mention]:
        """Find, classify and resolve the place mentions of ``text``."""
        if not isinstance(text, str):
            raise TypeError(f"expected str, got {type(text).__name__}")
        if not text:
            return []
        gaz = self.gazetteer
        tokens = tokenize(text)
        spans = recognize(text, gaz, tokens)
        if not spans:
            return []
        roles, placed = assign_roles(text, tokens, spans, self.lexicon)
        resolutions = resolve(text, spans, roles, gaz)
        roles = unsupported(text, tokens, spans, roles, placed,
                            [None if r is None else r.row for r in resolutions], self.lexicon)
        out = []
        seen: dict[int, tuple] = {}  # a name's resolution is shared by its mentions
        for s, role, res in zip(spans, roles, resolutions):
            name = text[s.name_start:s.name_end]
            if res is None:
                out.append(Mention(s.start, s.end, text[s.start:s.end], name, role))
                continue
            hit = seen.get((id(res), s.modifier))
            if hit is None:
                place = gaz.place(res.row)
                hit = seen[(id(res), s.modifier)] = (
                    place, derived_precision(place, s.modifier), round(res.score, 4),
                    tuple([(r, round(p, 4)) for r, p in res.alternatives[:3]]),
                    _modifier_text(s.modifier))
            place, precision, score, alts, modifier = hit
            # the geometry is derived when first asked for
            out.append(Mention(s.start, s.end, text[s.start:s.end], name, role, place, None,
                               precision, score, alts, modifier, derive=(place, s.modifier)))
        return out


def _modifier_text(mod: tuple) -> str:
    if not mod:
        return ""
    if len(mod) == 2 and mod[0] == "near":
        return f"near ({mod[1] / 1000:g} km)"
    if len(mod) == 2:
        return f"{mod[1] / 1000:g} km {mod[0]}"
    return mod[0]


_DEFAULT: dict[int, Geoparser] = {}


def _parser(gazetteer: Gazetteer | None) -> Geoparser:
    gaz = gazetteer or Gazetteer.load()
    p = _DEFAULT.get(id(gaz))
    if p is None:
        p = _DEFAULT[id(gaz)] = Geoparser(gaz)
    return p


def geoparse(text: str, gazetteer: Gazetteer | None = None) -> list[Mention]:
    """Find, classify and resolve every place mention in ``text``.

    Examples
    --------
    >>> ms = geoparse("Rockets hit Baghdad's Green Zone; US jets struck eastern Syria.")
    >>> [(m.text, m.role, m.place.name) for m in ms]  # doctest: +NORMALIZE_WHITESPACE
    [('Baghdad', 'literal', 'Baghdad'), ('Green Zone', 'literal', 'Green Zone'),
     ('US', 'associative', 'United States'), ('eastern Syria', 'literal', 'Syria')]
    """
    return _parser(gazetteer)(text)


def focus(text_or_mentions, gazetteer: Gazetteer | None = None) -> Place | None:
    """The country a text is mostly about (CLIFF's "focus"), or ``None``.

    Counts literal and associative mentions by country, weighting each by its
    confidence; ties go to the country mentioned first.
    """
    gaz = gazetteer or Gazetteer.load()
    mentions = (geoparse(text_or_mentions, gaz) if isinstance(text_or_mentions, str)
                else list(text_or_mentions))
    weights: Counter = Counter()
    first: dict[str, int] = {}
    for i, m in enumerate(mentions):
        if m.place is None or not m.place.country or m.role in ("non_toponym",):
            continue
        w = m.score if m.role == "literal" else m.score * 0.5
        weights[m.place.country] += w
        first.setdefault(m.place.country, i)
    if not weights:
        return None
    cc = max(weights, key=lambda c: (weights[c], -first[c]))
    row = gaz.country_row(cc)
    return gaz.place(row) if row >= 0 else None
