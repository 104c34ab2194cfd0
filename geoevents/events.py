"""Stage 6 — events: what happened, when, who, how bad, where, and the evidence.

Field names follow ACLED's codebook where one exists, so our output joins with
ACLED exports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from dataclasses import dataclass, field, fields
from typing import Any

from shapely.geometry.base import BaseGeometry

__all__ = ["Event", "EVENT_TYPES", "TRIGGERS", "extract_events", "fatalities_in",
           "split_sentences", "split_clauses"]

#: ACLED event types and their sub-event types.
EVENT_TYPES: dict[str, tuple[str, ...]] = {
    "Battles": ("Armed clash", "Government regains territory",
                "Non-state actor overtakes territory"),
    "Explosions/Remote violence": ("Chemical weapon", "Air/drone strike", "Suicide bomb",
                                   "Shelling/artillery/missile attack",
                                   "Remote explosive/landmine/IED", "Grenade"),
    "Violence against civilians": ("Sexual violence", "Attack", "Abduction/forced disappearance"),
    "Protests": ("Peaceful protest", "Protest with intervention",
                 "Excessive force against protesters"),
    "Riots": ("Violent demonstration", "Mob violence"),
    "Strategic developments": ("Agreement", "Arrests", "Change to group/activity",
                               "Disrupted weapons use", "Headquarters or base established",
                               "Looting/property destruction", "Non-violent transfer of territory",
                               "Other"),
}


@dataclass(frozen=True, slots=True)
class Event:
    """One event, with ACLED-compatible fields and our provenance.

    ``geo_precision`` is ACLED's 1–3 (1: the named town/site; 2: near it or a
    district/admin-2; 3: a larger area such as a province, region or country);
    ``precision`` is our finer level (site, district, town, admin2, admin1,
    region, country, sea). ``time_precision`` is ACLED's 1 (day), 2 (week),
    3 (month or wider). ``fatalities`` is ``None`` when unknown (not 0).

    ``geo_method`` records how the location was found: ``"text"`` (a place mention
    in the event's clause or sentence), ``"focus"`` (the document's focus country,
    no place in the sentence), ``"coordinates"`` (a record's own latitude/longitude),
    ``"gazetteer"`` or ``"geoparser"`` (a record's location text geocoded), or ``""``
    (unlocated). ``extra`` keeps a record's unknown columns as ``(name, value)`` pairs;
    :meth:`to_dict` flattens them into the properties (never overriding a field).
    """

    event_id: str
    event_date: dt.date | None = None
    time_precision: int | None = None
    event_type: str = ""
    sub_event_type: str = ""
    actor1: str = ""
    actor2: str = ""
    fatalities: int | None = None
    country: str = ""
    iso3: str = ""
    admin1: str = ""
    admin2: str = ""
    location: str = ""
    latitude: float | None = None
    longitude: float | None = None
    geo_precision: int | None = None
    geometry: BaseGeometry | None = None
    source: str = ""
    source_url: str = ""
    notes: str = ""
    # provenance
    event_date_end: dt.date | None = None
    event_time: str = ""
    precision: str = ""
    place_id: str = ""
    sentence: str = ""
    sentence_start: int | None = None
    sentence_end: int | None = None
    mention: str = ""
    mention_start: int | None = None
    mention_end: int | None = None
    confidence: float | None = None
    doc_id: str = ""
    # added by the events stage (defaults keep older code working)
    geo_method: str = ""
    extra: tuple[tuple[str, Any], ...] = ()


    def to_dict(self) -> dict[str, Any]:
        """Flat JSON-serialisable properties (dates as ISO strings, no geometry).

        The ``extra`` pairs become properties of their own (a field of the same name
        wins); the ``extra`` field itself is not included.
        """
        d: dict[str, Any] = {}
        for f in fields(self):
            if f.name in ("geometry", "extra"):
                continue
            v = getattr(self, f.name)
            if isinstance(v, dt.date):
                v = v.isoformat()
            d[f.name] = v
        for k, v in self.extra:
            if k not in d:
                d[k] = v.isoformat() if isinstance(v, dt.date) else v
        return d

    @property
    def __geo_interface__(self) -> dict[str, Any]:
        geom = self.geometry.__geo_interface__ if self.geometry is not None else None
        return {"type": "Feature", "id": self.event_id, "geometry": geom,
                "properties": self.to_dict()}


# ====================================================================== text → events
#
# Everything below is rules: regular expressions with the ACLED type they stand for.
# A reader can check why an event was found by looking up the trigger in TRIGGERS.

def _rx(pattern: str) -> re.Pattern:
    return re.compile(pattern, re.I)


_EXP = "Explosions/Remote violence"
_SD = "Strategic developments"
_VAC = "Violence against civilians"

#: Event triggers: (name, pattern, event_type, sub_event_type, weight). In a clause the
#: trigger with the highest weight types the event (a "suicide bombing" that also
#: "killed" people is a suicide bomb, not an attack).
TRIGGERS: list[tuple[str, re.Pattern, str, str, float]] = [
    (n, _rx(rx), t, st, w) for n, rx, t, st, w in [
        ("suicide", r"\bsuicide[\s-]+(?:bomb(?:er|ers|ing|ings|s)?|attack(?:er|ers|s)?|"
                    r"car[\s-]bomb(?:er|ing)?|vest)\b", _EXP, "Suicide bomb", 0.95),
        ("chemical", r"\b(?:chemical|chlorine|sarin|nerve[\s-]gas)\s+(?:weapons?\s+)?"
                     r"(?:attacks?|strikes?|weapons?|munitions?)\b", _EXP, "Chemical weapon",
         0.95),
        ("ied", r"\b(?:IEDs?|improvised\s+explosive\s+devices?|roadside\s+bombs?|landmines?|"
                r"land\s+mines?|car[\s-]bombs?|(?:booby|bomb)[\s-]trap(?:ped)?|"
                r"vehicle[\s-]borne|(?:bomb|explosive|device)s?\s+(?:exploded|detonated|"
                r"went\s+off)|bomb\s+blast|explosions?\s+(?:hit|ripped|tore|struck))\b",
         _EXP, "Remote explosive/landmine/IED", 0.9),
        ("air", r"\b(?:air[\s-]?strikes?|air[\s-]?raids?|drone[\s-]?(?:strikes?|attacks?)|"
                r"(?:warplanes?|fighter\s+jets?|jets|aircraft|helicopters?|drones?)\s+"
                r"(?:struck|bombed|hit|targeted|attacked|pounded|fired)|airstrikes?|"
                r"bombing\s+raids?|aerial\s+(?:bombardment|attacks?|strikes?)|"
                r"(?:rocket|missile)\s+and\s+drone\s+attacks?|drones?\s+and\s+missiles?|"
                r"missile\s+and\s+drone)\b", _EXP, "Air/drone strike", 0.85),
        ("shelling", r"\b(?:rockets?|mortars?|missiles?|shell(?:s|ed|ing)|artillery|"
                     r"bombard(?:ed|ment|ing)|katyushas?|projectiles?|ballistic)\b",
         _EXP, "Shelling/artillery/missile attack", 0.8),
        ("grenade", r"\bgrenades?\b", _EXP, "Grenade", 0.8),
        ("explosion", r"\b(?:explosions?|blasts?|bombings?|bombed|exploded|detonated)\b",
         _EXP, "Remote explosive/landmine/IED", 0.6),
        ("clash", r"\b(?:clash(?:es|ed)?|fighting|firefights?|gun\s*battles?|gunfights?|"
                  r"exchanged?\s+fire|fought|skirmish(?:es)?|battles?|ambush(?:ed|es)?|"
                  r"offensive|invasion|invaded|incursion|assault(?:ed|s)?|(?:ground\s+)?"
                  r"operations?\s+against|war)\b", "Battles", "Armed clash", 0.7),
        ("regain", r"\b(?:recaptur(?:ed|es|e)|retook|retaken|regained\s+control|"
                   r"liberated|recovered\s+control)\b", "Battles",
         "Government regains territory", 0.75),
        ("overtake", r"\b(?:seized|captured|overran|took\s+control\s+of|overrun|"
                     r"fell\s+to)\b", "Battles", "Non-state actor overtakes territory", 0.72),
        ("abduction", r"\b(?:abduct(?:ed|ion|s)|kidnapp?(?:ed|ing|ings)|kidnaps|"
                      r"taken\s+hostage|disappeared)\b", _VAC,
         "Abduction/forced disappearance", 0.75),
        ("sexual", r"\b(?:rap(?:ed|es|e)|sexual(?:ly)?\s+(?:violence|assault(?:ed)?|"
                   r"abused))\b", _VAC, "Sexual violence", 0.8),
        ("massacre", r"\b(?:massacred?|executed|shot\s+dead|gunned\s+down|hacked\s+to\s+death|"
                     r"beheaded|lynched|stabbed)\b", _VAC, "Attack", 0.7),
        ("kill", r"\b(?:killed|killing|kills|murdered|slain|shot)\b", _VAC, "Attack", 0.4),
        ("attack", r"\b(?:attack(?:s|ed|ing)?|raid(?:s|ed)?|opened\s+fire|fired\s+(?:on|at)|"
                   r"struck|strikes?)\b", "Battles", "Armed clash", 0.35),
        ("riot", r"\b(?:riot(?:s|ers|ing|ed)?|rioting|mob|torched|set\s+(?:fire|ablaze)|"
                 r"stormed|ransacked|pelted|hurled\s+stones|stone[\s-]throwing|"
                 r"turned\s+violent|vandali[sz]ed)\b", "Riots", "Violent demonstration", 0.65),
        ("protest", r"\b(?:protest(?:s|ers|ors|ed|ing)?|demonstrat(?:ors|ion|ions|ed|ing)|"
                    r"rall(?:y|ies|ied)|marched|march(?:es)?|sit[\s-]ins?|"
                    r"took\s+to\s+the\s+streets|picket(?:ed|s)?|walkout)\b",
         "Protests", "Peaceful protest", 0.6),
        ("arrest", r"\b(?:arrest(?:ed|s|ing)?|detain(?:ed|s|ing)?|detention|rounded\s+up|"
                   r"taken\s+into\s+custody)\b", _SD, "Arrests", 0.5),
        ("agreement", r"\b(?:ceasefire|cease-fire|truce|peace\s+(?:deal|agreement|accord)|"
                      r"signed\s+(?:an?\s+)?(?:agreement|deal|accord)|prisoner\s+exchange|"
                      r"agreed\s+to\s+(?:a\s+)?(?:ceasefire|truce|exchange))\b",
         _SD, "Agreement", 0.55),
        ("looting", r"\b(?:loot(?:ed|ing)|pillag(?:ed|ing)|burn(?:ed|t)\s+down|demolished|"
                    r"destroyed\s+(?:homes|houses|property|shops))\b", _SD,
         "Looting/property destruction", 0.5),
        ("disrupted", r"\b(?:intercepted|shot\s+down|defused|dismantled\s+(?:a|an|the)?\s*"
                      r"(?:bomb|explosive|IED)|foiled)\b", _SD, "Disrupted weapons use", 0.6),
        ("base", r"\b(?:established|set\s+up|opened)\s+(?:a\s+)?(?:new\s+)?"
                 r"(?:base|headquarters|outpost)\b", _SD, "Headquarters or base established",
         0.5),
    ]]

# A trigger in these contexts is not (yet) an event: threats, plans, denials.
_IRREALIS = _rx(r"\b(?:threaten\w*|vow\w*|warn\w*(?:\s+of)?|plan\w*|would|could|will|may|"
                r"might|intend\w*|call\w*\s+for|pledg\w*|prepar\w*|fear\w*|avoid\w*|"
                r"prevent\w*|deni\w*|denied|without|against\s+further|no\s+(?:new|further))"
                r"\s+(?:to\s+)?(?:\w+\s+){0,3}$")
# "Protesters plan to march", "the militia will attack": not (yet) an event either
_IRREALIS_AFTER = _rx(r"^\s*(?:\w+\s+)?(?:plan\w*|will|would|could|intend\w*|threaten\w*|"
                      r"vow\w*|are\s+expected|call\w*\s+for)\b")
# A definite trigger noun refers back to an event already described.
_ANAPHOR = _rx(r"\b(?:the|this|that|these|those|its|their)\s+(?:\w+\s+){0,2}$")
# Verbs of reporting about, or protection against, something (not an event)
_NOT_EVENT_CONTEXT = _rx(r"\b(?:protect\w*|defen[cd]\w*)\s+(?:\w+\s+){0,2}$")

# "a medical group said on Monday": the date of the statement, not of the event
_SPEECH_DATE = _rx(r"\b(?:said|says|told|reported|announced|added|stated|confirmed|"
                   r"claimed|statement|report)\s+(?:\w+\s+)?$")

_PROTEST_INTERVENTION = _rx(r"\b(?:tear[\s-]?gas|water[\s-]?cannons?|dispersed|rubber\s+bullets|"
                            r"baton[\s-]?charged|broke\s+up|arrested\s+(?:\w+\s+){0,3}"
                            r"(?:protesters|demonstrators))\b")
_PROTEST_FORCE = _rx(r"\b(?:(?:fired|opened\s+fire)\s+(?:live\s+ammunition\s+)?(?:on|at|into)\s+"
                     r"(?:\w+\s+){0,2}(?:protesters|demonstrators|crowds?|marchers)|"
                     r"live\s+(?:ammunition|rounds|fire)|(?:protesters|demonstrators)\s+"
                     r"(?:were|was)\s+(?:shot|killed)|killing\s+(?:\w+\s+){0,3}"
                     r"(?:protesters|demonstrators))\b")
_CIVILIAN_TARGET = _rx(r"\b(?:civilians?|villagers?|residents|worshippers|passengers|"
                       r"farmers|herders|children|women|students|families|displaced|"
                       r"refugees|a\s+(?:man|woman|boy|girl))\b")
_MOB = _rx(r"\b(?:mob|lynch\w*|vigilantes?)\b")

# ---------------------------------------------------------------------- actors
_HEADS = (r"civilians|militias?|militiamen|militants?|rebels?|insurgents?|gunmen|jihadists?|"
          r"fighters|armed\s+(?:groups?|men)|groups|forces|troops|soldiers|military|army|police|"
          r"policemen|security\s+forces|personnel|warplanes|jets|navy|air\s+force|"
          r"protesters|demonstrators|rioters|students|workers|farmers|herders|"
          r"bandits|pirates|assailants|attackers|kidnappers|settlers|guards|paramilitaries")
_NAMED = (r"Houthis?|Hamas|Hezbollah|Hizbollah|Islamic\s+State|ISIS|ISIL|Daesh|ISWAP|JNIM|"
          r"al-Shabaab|al-Shabab|Al-Shabaab|al-Qaeda|Al-Qaeda|Taliban|Boko\s+Haram|"
          r"Rapid\s+Support\s+Forces|RSF|Sudanese\s+Armed\s+Forces|SAF|Wagner(?:\s+Group)?|"
          r"PKK|SDF|Syrian\s+Democratic\s+Forces|Kataib\s+Hezbollah|Kata'ib\s+Hezbollah|"
          r"Islamic\s+Resistance\s+in\s+Iraq|Popular\s+Mobili[sz]ation\s+Forces|PMF|M23|"
          r"Fano|TPLF|Palestinian\s+Islamic\s+Jihad|Islamic\s+Jihad|Ansar\s+Allah|"
          r"Israel\s+Defense\s+Forces|IDF|Peshmerga|Janjaweed")
_MODS = (r"(?:(?:[A-Z][\w'’.]*(?:-[a-z]+)?|[a-z]+-(?:aligned|backed|linked|affiliated|allied|"
         r"led|supported)|pro-[A-Z][\w-]+|armed|unidentified|unknown|suspected|local|"
         r"government|state|security|special|rebel|opposition|allied|paramilitary|"
         r"Islamist|jihadist|anti-government|anti-[a-z]+|riot|border|federal|foreign|"
         r"(?i:hundreds|thousands|dozens)\s+of)\s+){0,4}")
_ACTOR = re.compile(rf"\b(?:(?P<named>(?:the\s+)?(?:{_NAMED})(?:\s+(?i:{_HEADS}))?)|"
                    rf"(?P<generic>{_MODS}(?i:{_HEADS})))\b")
_BARE = {"groups", "forces", "personnel", "fighters", "jets", "warplanes", "guards",
         "students", "workers", "farmers", "military", "army", "navy", "troops", "soldiers",
         "security forces", "police", "policemen"}
_ACTOR_STOP = {"The", "A", "An", "Several", "Some", "Many", "Two", "Three", "Most", "Other",
               "Meanwhile", "But", "And", "In", "On", "At", "When", "After", "Before",
               "Officials", "Witnesses", "Residents",
               "His", "Her", "Their", "Its", "Our", "Local", "There", "It", "They", "He",
               "She", "We", "No", "Both", "Suspected"}
_TARGET_BEFORE = _rx(r"\b(?:on|against|at|targeting|targeted|toward|towards|with|"
                     r"between\s+(?:\w+\s+){0,4}and)\s+(?:the\s+)?(?:\w+\s+){0,2}$")
_AGENT_BEFORE = _rx(r"\b(?:by|blamed|suspected|accused|blamed\s+on|claimed\s+by)\s+"
                    r"(?:the\s+)?$")

# ---------------------------------------------------------------------- fatalities
_NUMWORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
             "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
             "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
             "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
             "a": 1, "an": 1, "a dozen": 12, "dozens": 12, "scores": 20, "several": 10,
             "many": 10, "hundreds": 100, "a hundred": 100}
_NUM = (r"(?:at\s+least\s+|more\s+than\s+|over\s+|some\s+|about\s+|around\s+|nearly\s+|"
        r"up\s+to\s+|roughly\s+|approximately\s+)?(?P<n>\d[\d,]*|a\s+dozen|dozens|scores|"
        r"several|many|hundreds|a\s+hundred|" + "|".join(
            k for k in _NUMWORDS if " " not in k and k not in ("a", "an", "dozens", "scores",
                                                              "several", "many", "hundreds"))
        + r")")
_NOT_WOUNDED = r"(?:(?!wounded|injured|hurt|and\b|or\b|but\b)[\w'-]+\s+){0,3}?"
_FATAL = [re.compile(rx, re.I) for rx in [
    r"\b(?:killed|killing|kills|kill)\s+" + _NUM + r"\b",
    r"\b" + _NUM + r"\s+" + _NOT_WOUNDED + r"(?:(?:were|was|have\s+been|had\s+been|are|were\s+"
    r"reported|reportedly|being)\s+)?(?:killed|dead|died|slain|shot\s+dead|lost\s+their\s+lives"
    r"|perished)\b",
    r"\bleft\s+" + _NUM + r"\s+(?:\w+\s+){0,2}dead\b",
    r"\b" + _NUM + r"\s+(?:[\w'-]+\s+){0,2}?[\w'-]+,\s+(?:including|among\s+them)\b[^,.;]*,\s+"
    r"(?:were|have\s+been|had\s+been)\s+(?:killed|slain)\b",
    r"\bdeath\s+toll\s+(?:\w+\s+){0,3}?(?:to|of|at|reached|is|was)\s+" + _NUM + r"\b",
]]
_ZERO = _rx(r"\b(?:no\s+(?:immediate\s+)?(?:reports?\s+of\s+)?(?:casualties|deaths|fatalities|"
            r"injuries|victims|one\s+was\s+(?:killed|hurt|injured))|no\s+one\s+(?:was|were|has\s+"
            r"been)\s+(?:killed|hurt|injured|harmed|wounded)|nobody\s+(?:was\s+)?(?:killed|hurt|"
            r"injured)|without\s+(?:causing\s+)?(?:any\s+)?(?:casualties|injuries)|caused\s+no\s+"
            r"(?:casualties|injuries)|no\s+one\s+hurt|no\s+one\s+(?:was\s+)?killed)\b")


def fatalities_in(text: str) -> int | None:
    """Fatalities stated in ``text``: a number, 0 for "no casualties", ``None`` if unknown.

    The largest single figure is taken (a total usually comes with its breakdown:
    "at least 12 people, including five children, were killed" → 12). Wounded and
    injured counts are not fatalities. Vague words follow ACLED's conventions:
    "several"/"many" → 10, "dozens" → 12, "hundreds" → 100.

    Examples
    --------
    >>> fatalities_in("The blast killed at least 12 people and wounded 30.")
    12
    >>> fatalities_in("There were no casualties."), fatalities_in("Rockets hit the base.")
    (0, None)
    >>> fatalities_in("Three soldiers were killed and 11 wounded.")
    3
    """
    best = None
    for rx in _FATAL:
        for m in rx.finditer(text):
            word = re.sub(r"\s+", " ", m["n"].lower()).replace(",", "")
            n = int(word) if word.isdigit() else _NUMWORDS.get(word)
            if n is not None and (best is None or n > best):
                best = n
    if best is not None:
        return best
    if _ZERO.search(text):
        return 0
    return None


# ---------------------------------------------------------------------- sentences
_ABBREV = {"mr", "mrs", "ms", "dr", "gen", "lt", "col", "sgt", "capt", "maj", "st", "mt",
           "jan", "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec",
           "no", "vs", "etc", "sen", "rep", "gov", "prof", "rev", "jr", "sr", "inc", "ltd",
           "co", "corp", "approx", "est", "fig", "u.s", "u.n", "u.k", "a.m", "p.m", "e.g",
           "i.e"}
_SENT_END = re.compile(r"[.!?][\"'”’)]*\s+(?=[\"'“‘(]?[A-Z0-9])|\n\s*\n|\n(?=[A-Z\"“])")
_CLAUSE_SPLIT = re.compile(r";\s+|\s+[—–]\s+|\s+-\s+|,\s+(?=(?:while|whereas|but|meanwhile|"
                           r"and\s+(?:in|on|at)\s+[A-Z])\b)|:\s+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Sentence spans ``(start, end)`` of ``text`` (end exclusive, whitespace trimmed).

    Periods after abbreviations ("Dec.", "U.S.", "a.m.", "Gen.") do not end a sentence;
    a blank line always does (headlines and datelines stand alone).

    Examples
    --------
    >>> t = "Rockets hit the U.S. Embassy at 4 a.m. Friday. No one was hurt."
    >>> [t[a:b] for a, b in split_sentences(t)]
    ['Rockets hit the U.S. Embassy at 4 a.m. Friday.', 'No one was hurt.']
    """
    out, start = [], 0
    for m in _SENT_END.finditer(text):
        if text[m.start()] == ".":
            w = re.search(r"([\w.]+)$", text[start:m.start()])
            word = w.group(1).lower() if w else ""
            if word in _ABBREV or (len(word) == 1 and word.isalpha()):
                # "a.m. Iraqi officials said" is ambiguous; a time followed by a
                # capitalised word still continues the sentence (it is usually a day)
                continue
        end = m.start() + 1 if text[m.start()] in ".!?" else m.start()
        _append_span(text, start, end, out)
        start = m.end()
    _append_span(text, start, len(text), out)
    return out


def _append_span(text: str, a: int, b: int, out: list) -> None:
    seg = text[a:b]
    if seg.strip():
        a += len(seg) - len(seg.lstrip())
        b -= len(seg) - len(seg.rstrip())
        out.append((a, b))


def split_clauses(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """Clause spans inside the sentence ``text[start:end]`` (absolute offsets).

    Clauses end at semicolons, dashes, colons, and before ", while", ", but",
    ", whereas" and ", meanwhile".
    """
    out, a = [], start
    for m in _CLAUSE_SPLIT.finditer(text, start, end):
        _append_span(text, a, m.start(), out)
        a = m.end()
    _append_span(text, a, end, out)
    return out or [(start, end)]


# ---------------------------------------------------------------------- locations
_PREC_RANK = {"site": 0, "district": 1, "town": 2, "admin2": 3, "admin1": 4, "sea": 5,
              "region": 6, "country": 7, "continent": 8, "": 9}
_GEO_PRECISION = {"site": 1, "district": 1, "town": 1, "admin2": 2, "admin1": 3, "region": 3,
                  "country": 3, "sea": 3, "continent": 3}
# a place right after an actor belongs to the actor ("Houthi rebels in Yemen")
_ACTOR_PLACE = re.compile(rf"(?:{_HEADS}|{_NAMED})\s+(?:in|from|of|based\s+in)\s+(?:the\s+)?$",
                          re.I)
_COORDINATED = re.compile(r"^\s*(?:,\s*(?:and\s+|or\s+)?|and\s+|or\s+|as\s+well\s+as\s+)"
                          r"(?:the\s+)?(?:in\s+)?$", re.I)
_ISO3_FIX = {"PSX": "PSE", "KOS": "XKX"}


def _attached(text: str, m, t0: int) -> bool:
    """Tell whether mention ``m`` (before the trigger at ``t0``) belongs to an actor.

    "Houthi rebels in Yemen have launched...", "Israel's invasion of...".
    """
    if _ACTOR_PLACE.search(text[max(0, m.start - 40):m.start]):
        return True
    return bool(re.match(r"['’]s\s+(?:\w+\s+){0,2}$", text[m.end:t0]))


def _geo_precision(precision: str, modifier: str) -> int | None:
    if not precision:
        return None
    gp = _GEO_PRECISION.get(precision, 3)
    if modifier.startswith("near") or "km" in modifier:
        gp = max(gp, 2)
    elif modifier:
        gp = 3
    return gp


def _contains(outer, inner, gaz) -> bool:
    """Tell whether mention ``outer`` is a coarser place that ``inner`` lies in."""
    po, pi = outer.place, inner.place
    if po is None or pi is None or po == pi:
        return False
    if _PREC_RANK.get(outer.precision, 9) <= _PREC_RANK.get(inner.precision, 9):
        # same-or-finer level: only a town point vs a district/site inside it counts
        return False
    if gaz is not None and any(p == po for p in gaz.parents(pi)):
        return True
    if po.is_areal and not outer.modifier:
        pt = inner.point
        return pt is not None and po.geometry.covers(pt)
    return False


def _pick_locations(text: str, mentions: list, trigger: tuple[int, int], gaz) -> list:
    """Pick the mention(s) an event in this clause takes place at.

    Drops places attached to an actor before the trigger ("Houthi rebels in Yemen",
    "Israel's invasion"), then places containing another candidate (Baghdad when the
    Green Zone is there); then the most specific one, nearest the trigger among equals;
    places coordinated with it ("in Iraq and Syria") give one location each.
    """
    if not mentions:
        return []
    t0, t1 = trigger
    cands = [m for m in mentions if not (m.end <= t0 and _attached(text, m, t0))]
    cands = cands or list(mentions)
    cands = [m for m in cands if not any(_contains(m, o, gaz) for o in cands if o is not m)]
    cands.sort(key=lambda m: m.start)

    def dist(m):
        return t0 - m.end if m.end <= t0 else (m.start - t1 if m.start >= t1 else 0)

    best = min(cands, key=lambda m: (_PREC_RANK.get(m.precision, 9), dist(m)))
    group = [best]
    i = cands.index(best)
    for j in range(i + 1, len(cands)):  # coordinated to the right
        if _COORDINATED.match(text[cands[j - 1].end:cands[j].start]):
            group.append(cands[j])
        else:
            break
    for j in range(i - 1, -1, -1):  # and to the left
        if _COORDINATED.match(text[cands[j].end:cands[j + 1].start]):
            group.insert(0, cands[j])
        else:
            break
    return group


# ---------------------------------------------------------------------- extraction
@dataclass(slots=True)
class _Draft:
    """An event being assembled (mutable until it becomes an :class:`Event`)."""

    event_type: str
    sub_event_type: str
    weight: float
    sentence: tuple[int, int]
    trigger: tuple[int, int]
    mention: Any = None
    geo_method: str = ""
    date: Any = None
    time: str = ""
    actor1: str = ""
    actor2: str = ""
    fatalities: int | None = None
    notes: list[str] = field(default_factory=list)


def _triggers(text: str, a: int, b: int) -> list[tuple[int, int, str, str, str, float, bool]]:
    """Triggers in ``text[a:b]``: (start, end, name, type, sub-type, weight, anaphoric)."""
    found, taken = [], []
    for name, rx, etype, sub, w in TRIGGERS:
        for m in rx.finditer(text, a, b):
            s, e = m.span()
            if any(s < y and x < e for x, y in taken):
                continue
            before = text[max(a, s - 60):s]
            if _IRREALIS.search(before) or _NOT_EVENT_CONTEXT.search(before) \
                    or _IRREALIS_AFTER.search(text[e:min(b, e + 40)]):
                continue
            taken.append((s, e))
            found.append((s, e, name, etype, sub, w, bool(_ANAPHOR.search(before[-30:]))))
    found.sort()
    return found


def _actors(text: str, a: int, b: int, trigger: tuple[int, int], event_type: str
            ) -> tuple[str, str, bool]:
    """(actor1, actor2, suspected) stated in ``text[a:b]`` around a trigger."""
    found = []
    for m in _ACTOR.finditer(text, a, b):
        s, e = m.span()
        words = text[s:e].split()
        while words and (words[0] in _ACTOR_STOP or words[0].lower() in ("the", "suspected")):
            words.pop(0)
        if not words:
            continue
        name = re.sub(r"^(?:hundreds|thousands|dozens|scores)\s+of\s+", "", " ".join(words),
                      flags=re.I)
        if m["generic"] and name.lower() in _BARE and event_type != "Protests":
            continue
        if m["generic"] and re.fullmatch(r"(?:hundreds|thousands|dozens|scores)\s+of\s+\w+",
                                         text[s:e], re.I) and event_type != "Protests":
            continue
        s = e - len(name)
        before = text[max(a, s - 45):s]
        if _AGENT_BEFORE.search(before):
            role = 1
        elif _TARGET_BEFORE.search(before):
            role = 2
        elif e <= trigger[0]:
            role = 1
        else:
            role = 0  # after the trigger, unmarked
        suspected = bool(re.search(r"\b(?:suspect\w*|blame\w*|accuse\w*)\b", before, re.I))
        found.append((role, s, name, suspected))
    actor1 = actor2 = ""
    suspected = False
    if event_type == "Protests":
        crowd = [f for f in found if re.search(r"protesters|demonstrators|students|workers|"
                                               r"farmers|rioters", f[2], re.I)]
        other = [f for f in found if f not in crowd]
        return (crowd[0][2] if crowd else ""), (other[0][2] if other else ""), False
    for role, _s, name, susp in found:
        if role == 1 and not actor1:
            actor1, suspected = name, susp
        elif role == 2 and not actor2 and name != actor1:
            actor2 = name
    for role, _s, name, _susp in found:
        if role == 0 and name not in (actor1, actor2):
            if not actor1:
                actor1 = name
            elif not actor2:
                actor2 = name
    return actor1, actor2, suspected


def _refine_type(text: str, a: int, b: int, etype: str, sub: str) -> tuple[str, str]:
    clause = text[a:b]
    if etype == "Protests" or (etype in ("Riots", "Battles", _VAC) and re.search(
            r"\b(?:protesters|demonstrators)\b", clause, re.I)):
        if _PROTEST_FORCE.search(clause):
            return "Protests", "Excessive force against protesters"
        if etype == "Riots":
            return etype, sub
        if _PROTEST_INTERVENTION.search(clause):
            return "Protests", "Protest with intervention"
        if etype == "Protests":
            return etype, sub
    if etype == "Riots" and _MOB.search(clause):
        return "Riots", "Mob violence"
    if etype == "Battles" and sub == "Armed clash" and _CIVILIAN_TARGET.search(clause) \
            and not re.search(r"\b(?:clash\w*|fighting|battles?|firefights?)\b", clause, re.I):
        return _VAC, "Attack"
    return etype, sub


def _country_fields(place, gaz) -> tuple[str, str]:
    if place is None or not place.country or gaz is None:
        return "", ""
    row = gaz.country_row(place.country)
    if row < 0:
        return "", ""
    c = gaz.place(row)
    iso3 = c.id.split(":", 1)[1] if c.id.startswith("ne-admin0:") else ""
    return c.name, _ISO3_FIX.get(iso3, iso3)


def _event_id(key: str, a: int, b: int, m_start: int | None) -> str:
    h = hashlib.blake2b(f"{key}|{a}|{b}|{m_start}".encode(), digest_size=8).hexdigest()
    return f"ev-{h}"


def extract_events(text: str, *, published: dt.date | str | None = None, source: str = "",
                   source_url: str = "", doc_id: str = "", gazetteer=None,
                   mentions: list | None = None) -> list[Event]:
    """Find the events a news text reports, with when, where, who and how bad.

    Rule-based and transparent (see :data:`TRIGGERS`): sentences are split into
    clauses; a clause with an event trigger (outside threats, plans and denials)
    becomes an event typed with ACLED's event and sub-event types; its date is the
    nearest date expression in the clause or sentence, resolved against
    ``published`` (see :mod:`geoevents.dates`); its location is the most specific
    literal place mention in the clause (else the sentence), never a demonym,
    metonym or organisation; with none, the document focus with a coarser
    ``geo_precision``. Places coordinated in one clause ("in Iraq and Syria") give
    one event each. A definite mention ("the attack", "the rockets") of an event
    already described adds to it rather than making a new one, and events with the
    same type, place and date are merged.

    Parameters
    ----------
    text : str
        The article (title and body).
    published : date or str, optional
        Publication date; relative dates ("on Friday") need it. Without it, events
        keep only dates stated absolutely.
    source, source_url, doc_id : str
        Provenance copied to each event (``source`` is ACLED's field).
    gazetteer : Gazetteer, optional
        Defaults to the bundled gazetteer.
    mentions : list of Mention, optional
        Place mentions already found in ``text`` (default: run the geoparser).

    Returns
    -------
    list of Event
        In text order.

    Examples
    --------
    >>> evs = extract_events("Rockets struck the Green Zone in Baghdad on Friday. "
    ...                      "No one was hurt.", published="2023-12-08")
    >>> [(e.event_type, e.sub_event_type, e.location, str(e.event_date), e.fatalities)
    ...  for e in evs]  # doctest: +NORMALIZE_WHITESPACE
    [('Explosions/Remote violence', 'Shelling/artillery/missile attack', 'Green Zone',
      '2023-12-08', 0)]
    """
    from .dates import find_dates, find_time, to_date

    pub = to_date(published)
    if mentions is None:
        from .geoparse import geoparse
        if gazetteer is None:
            from .gazetteer import Gazetteer
            gazetteer = Gazetteer.load()
        mentions = geoparse(text, gazetteer)
    elif gazetteer is None:
        try:
            from .gazetteer import Gazetteer
            gazetteer = Gazetteer.load()
        except Exception:  # noqa: BLE001 - hand-made mentions need no gazetteer
            gazetteer = None
    literal = [m for m in mentions if m.role == "literal" and m.place is not None
               and m.geometry is not None]
    doc_focus = _focus(mentions, gazetteer)
    dates = find_dates(text, pub)

    drafts: list[_Draft] = []
    last: _Draft | None = None
    for sa, sb in split_sentences(text):
        sent_drafts: list[_Draft] = []
        sent_mentions = [m for m in literal if sa <= m.start and m.end <= sb]
        sent_dates = [d for d in dates if sa <= d.start and d.end <= sb]
        for ca, cb in split_clauses(text, sa, sb):
            trig = _triggers(text, ca, cb)
            if not trig:
                continue
            actor_spans = [m.span() for m in _ACTOR.finditer(text, ca, cb) if m["named"]]
            clause_mentions = [m for m in sent_mentions if ca <= m.start and m.end <= cb
                               and not any(a <= m.start < b for a, b in actor_spans)]
            fresh = [t for t in trig if not t[6]]
            old = [t for t in trig if t[6]]
            if fresh and old and clause_mentions:
                # "The attack in Mogadishu came after a roadside bomb hit ... near Afgooye":
                # a place nearer to a trigger referring back belongs to that event
                clause_mentions = [m for m in clause_mentions if not _owner(trig, m)[6]]
            if not fresh:
                if last is not None and not clause_mentions:
                    _enrich(last, text, ca, cb, trig[0])
                    continue
                fresh = trig
            best = max(fresh, key=lambda t: (t[5], -t[0]))
            etype, sub = _refine_type(text, ca, cb, best[3], best[4])
            tspan = (best[0], best[1])
            if clause_mentions:
                locs, method = _pick_locations(text, clause_mentions, tspan, gazetteer), "text"
            elif sent_mentions:
                locs, method = _pick_locations(text, sent_mentions, tspan, gazetteer), "text"
            else:
                locs, method = [None], "focus"
            clause_dates = [d for d in sent_dates if ca <= d.start and d.end <= cb] or sent_dates
            clause_dates = [d for d in clause_dates if not _SPEECH_DATE.search(
                text[max(sa, d.start - 25):d.start])]
            date = None
            if clause_dates:
                date = min(clause_dates, key=lambda d: (d.time_precision,
                                                        abs(d.start - tspan[0])))
            tm = find_time(text[ca:cb])
            actor1, actor2, suspected = _actors(text, ca, cb, tspan, etype)
            if not actor1 and etype not in ("Protests", "Riots"):
                actor1 = _state_actor(text, mentions, ca, tspan[0])
            weight = best[5]
            for loc in locs:
                d = _Draft(etype, sub, weight, (sa, sb), tspan, loc, method if loc is not None
                           else ("focus" if doc_focus is not None else ""))
                d.date = date
                d.time = tm[0] if tm and (date is None or date.time_precision == 1) else ""
                d.actor1, d.actor2 = actor1, actor2
                if suspected:
                    d.notes.append("actor1 suspected")
                m = re.search(r"\b(?:more\s+than|over|at\s+least|some|nearly)\s+(\d+)\s+"
                              r"(?:\w+\s+){0,4}?(?:attacks|strikes|incidents)\b", text[ca:cb],
                              re.I)
                if m:
                    d.notes.append(f"aggregate: {m.group(0)}")
                sent_drafts.append(d)
        fat = fatalities_in(text[sa:sb])
        if sent_drafts:
            for d in sent_drafts:
                d.fatalities = fat
            drafts.extend(sent_drafts)
            last = sent_drafts[-1]
        elif last is not None and fat is not None and last.fatalities is None:
            # "There were no casualties." right after the event it qualifies
            last.fatalities = fat

    drafts = _dedupe(drafts, gazetteer, doc_focus)
    return [_to_event(d, text, pub, source, source_url, doc_id, gazetteer, doc_focus)
            for d in drafts]


def _owner(trig: list, m) -> tuple:
    mid = m.start + m.end
    return min(trig, key=lambda t: abs((t[0] + t[1]) - mid))


def _state_actor(text: str, mentions: list, a: int, t0: int) -> str:
    """Name the country acting as the agent before the trigger (or ``""``).

    "The United States has responded with air strikes" (a metonym),
    "Israel's invasion" (a possessive) → the country's name.
    """
    for m in reversed(mentions):
        if not (a <= m.start and m.end <= t0) or m.place is None:
            continue
        if re.search(r"\b(?:by|from|of|to|with|and)\s+$", text[max(a, m.start - 20):m.start]):
            continue
        possessive = re.match(r"['’]s\s+(?:\w+\s+){0,2}$", text[m.end:t0])
        if m.role == "metonymic" or (m.role == "literal" and possessive):
            return m.place.name
    return ""


def _enrich(d: _Draft, text: str, a: int, b: int, trig) -> None:
    """Add what an anaphoric clause says ("blamed militias for the attack") to ``d``."""
    a1, a2, suspected = _actors(text, a, b, (trig[0], trig[1]), d.event_type)
    if a1 and not d.actor1:
        d.actor1 = a1
        if suspected or re.search(r"\bsuspect\w*|blame\w*|accuse\w*\b", text[a:b], re.I):
            d.notes.append("actor1 suspected")
    if a2 and not d.actor2 and a2 != d.actor1:
        d.actor2 = a2
    if d.fatalities is None:
        d.fatalities = fatalities_in(text[a:b])


def _focus(mentions, gaz):
    try:
        from .geoparse import focus
    except ImportError:  # pragma: no cover - geoparser not installed
        return None
    try:
        return focus(mentions, gaz) if gaz is not None else focus(mentions)
    except Exception:  # noqa: BLE001 - a focus is optional
        return None


def _to_event(d: _Draft, text: str, pub, source, source_url, doc_id, gaz, doc_focus) -> Event:
    m = d.mention
    sa, sb = d.sentence
    notes = list(d.notes)
    conf = d.weight
    if m is not None:
        place, geom, precision = m.place, m.geometry, m.precision
        pt = m.point
        geo_precision = _geo_precision(precision, m.modifier)
        location = m.text if m.modifier else place.name
        conf *= 0.5 + 0.5 * float(m.score or 0)
    elif doc_focus is not None:
        place, geom, precision = doc_focus, doc_focus.geometry, doc_focus.precision
        pt = doc_focus.point
        geo_precision = min(3, (_geo_precision(precision, "") or 3) + 1)
        location = doc_focus.name
        notes.append("location: document focus (no place in the sentence)")
        conf *= 0.5
    else:
        place = geom = pt = None
        precision, geo_precision, location = "", None, ""
        notes.append("location: none found")
        conf *= 0.3
    if d.date is not None:
        date, date_end, tp = d.date.date, d.date.date_end, d.date.time_precision
    elif pub is not None:
        date, date_end, tp = pub, None, 3
        notes.append("date: not stated; publication date")
        conf *= 0.8
    else:
        date, date_end, tp = None, None, None
    country, iso3 = _country_fields(place, gaz)
    admin1 = place.admin1 if place is not None and place.kind not in ("country", "sea",
                                                                      "region", "continent") \
        else ""
    key = doc_id or source or hashlib.blake2b(text.encode(), digest_size=8).hexdigest()
    return Event(
        event_id=_event_id(key, sa, sb, m.start if m is not None else None),
        event_date=date, time_precision=tp, event_type=d.event_type,
        sub_event_type=d.sub_event_type, actor1=d.actor1, actor2=d.actor2,
        fatalities=d.fatalities, country=country, iso3=iso3, admin1=admin1,
        location=location,
        latitude=round(pt.y, 6) if pt is not None else None,
        longitude=round(pt.x, 6) if pt is not None else None,
        geo_precision=geo_precision, geometry=geom, source=source, source_url=source_url,
        notes="; ".join(notes), event_date_end=date_end, event_time=d.time,
        precision=precision, place_id=place.id if place is not None else "",
        sentence=text[sa:sb], sentence_start=sa, sentence_end=sb,
        mention=m.text if m is not None else "",
        mention_start=m.start if m is not None else None,
        mention_end=m.end if m is not None else None,
        confidence=round(conf, 3), doc_id=doc_id, geo_method=d.geo_method,
    )


def _aggregate(d: _Draft) -> bool:
    return any(n.startswith("aggregate") for n in d.notes)


def _same_incident(a: _Draft, b: _Draft, gaz, doc_focus=None) -> bool:
    """Tell whether two drafts describe one incident (type, place and date agree)."""
    if a.event_type != b.event_type or _aggregate(a) or _aggregate(b):
        return False
    if a.actor1 and b.actor1 and a.actor1 != b.actor1:
        return False
    if a.date is not None and b.date is not None and \
            (a.date.date, a.date.date_end) != (b.date.date, b.date.date_end):
        return False
    ma, mb = a.mention, b.mention
    if ma is None or mb is None:
        if ma is None and mb is None:
            return True
        # an undated headline placed at the document focus ("Kenya protests") and a
        # located report of the same type inside that country
        m = ma or mb
        return (doc_focus is not None and (a.date is None or b.date is None)
                and m.place is not None and m.place.country == doc_focus.country)
    if ma.place == mb.place and ma.modifier == mb.modifier:
        return True
    return _contains(ma, mb, gaz) or _contains(mb, ma, gaz)


def _specificity(d: _Draft) -> tuple[int, int]:
    return (_PREC_RANK.get(getattr(d.mention, "precision", ""), 9),
            d.date.time_precision if d.date is not None else 9)


def _dedupe(drafts: list[_Draft], gaz, doc_focus=None) -> list[_Draft]:
    """Merge drafts describing the same incident (the headline and the lead, say).

    The merged event keeps the more specific place and the more precise date, and
    fills actors, time and fatalities from both.
    """
    out: list[_Draft] = []
    for d in drafts:
        for i, o in enumerate(out):
            if not _same_incident(o, d, gaz, doc_focus):
                continue
            base, other = (d, o) if _specificity(d) < _specificity(o) else (o, d)
            if base.date is None or (other.date is not None and
                                     other.date.time_precision < base.date.time_precision):
                base.date = other.date
            base.actor1 = base.actor1 or other.actor1
            base.actor2 = base.actor2 or other.actor2
            base.time = base.time or other.time
            if other.fatalities is not None and (base.fatalities is None
                                                 or other.fatalities > base.fatalities):
                base.fatalities = other.fatalities
            base.notes.extend(n for n in other.notes if n not in base.notes)
            base.weight = max(base.weight, other.weight)
            out[i] = base
            break
        else:
            out.append(d)
    out.sort(key=lambda d: (d.sentence[0], d.mention.start if d.mention is not None else -1))
    return out
