"""Stage 2 — recognition: find candidate place mentions in text, with exact offsets.

A fast dictionary matcher over the gazetteer's name keys (64-bit hashes of
normalised names, see :mod:`geoevents._text`) plus context rules:

* a name starts at a capitalised token (or ``al-``/``el-`` before one) and ends at
  one; lower-case function words may sit inside ("Democratic Republic of the Congo");
* the longest name wins, left to right; ``'s`` possessives are split off;
* compound expressions around a name are kept with it: directional adjectives
  ("eastern Syria"), distances ("35 km north of Baghdad"), directions ("south of
  Beirut") and vicinity ("near", "on the outskirts of");
* common English words that are also place names ("Reading", "Nice", "Mobile")
  are not places at the start of a sentence or in all-capital headlines.
"""

from __future__ import annotations

import json
import re
from bisect import bisect_left
from functools import lru_cache
from typing import NamedTuple

import numpy as np

from ._text import ABBREVIATED_WORDS, BoundedMemo, fold, key_hash, name_key
from .gazetteer import Gazetteer

__all__ = ["Span", "Token", "Tokens", "Lexicon", "datelines", "recognize", "tokenize"]

# a word: letters/digits, apostrophes only between them ("O'Brien's"); or initials "U.S."
_TOKEN = re.compile(r"[A-Z](?:\.[A-Z])+\.|[^\W_]\w*(?:['’]\w+)*")
_POSSESSIVE = ("'s", "’s")
_CONTRACTION = re.compile(r"['’](?:ve|ll|re|d|m|t)$")
_INNER = frozenset({"of", "the", "de", "del", "della", "la", "le", "el", "al", "and", "upon",
                    "on", "en", "sur", "di", "da", "du", "des", "los", "las", "bin", "ibn",
                    "y", "et", "am", "an", "der", "dos", "das", "do", "in", "ad", "as", "at",
                    "ash", "ar", "az", "es", "ez", "um", "abu", "bani", "beni", "wadi"})
# a news dateline: the place in capitals at the start of the story (or after its
# headline), perhaps its state or country and the agency, then a dash: "BAGHDAD —",
# "HURRICANE, W.Va. -", "ISLE OF PALMS —", "KABUL, Afghanistan (Reuters) - "
_DATELINE = re.compile(r"([A-Z][A-Z'’.]+(?:[ -](?:[A-Z][A-Z'’.]*|of))*)"
                       r"(?:, [A-Z][\w.]*(?: [A-Z][\w.]*)?)?(?: \([A-Za-z ]+\))? ?(?:—|–|--?) ")
_DATELINE_TOP_CHARS = 600  # ... which opens a line, or follows the headline near the top


def datelines(text: str) -> list[tuple[int, int]]:
    """Character ranges of the place names that open news datelines in ``text``."""
    if "-" not in text and "—" not in text and "–" not in text:
        return []
    # where a dateline may start: the text's start, each line's, and each sentence's
    # near the top; the pattern is only tried there
    at = {0}
    i = text.find("\n")
    while i >= 0:
        at.add(i + 1)
        i = text.find("\n", i + 1)
    for stop in (". ", "! ", "? "):
        i = text.find(stop, 0, _DATELINE_TOP_CHARS)
        while i >= 0:
            at.add(i + 2)
            i = text.find(stop, i + 2, _DATELINE_TOP_CHARS)
    found = [_DATELINE.match(text, k) for k in sorted(at)]
    return [m.span(1) for m in found if m is not None]


_ARTICLES = frozenset({"al", "el", "ad", "an", "as", "ash", "at", "az", "ar", "ath", "adh"})
_GAPS = frozenset({" ", "-", ". ", "–", " - ", "\u00a0", ".", "'", "’"})
_STOP = frozenset(
    "monday tuesday wednesday thursday friday saturday sunday january february march april "
    "may june july august september october november december i a an the mr mrs ms dr sir "
    "god lord jesus christ allah president minister king queen prince general gen sen rep "
    "gov police army navy north south east west northern southern eastern western central "
    "university college hospital church street road avenue st mt ft saint san santa "
    "jan feb mar apr jun jul aug sep sept oct nov dec mon tue tues wed thu thur thurs "
    "fri sat sun northeast northwest southeast southwest center centre "
    "jewish christian christians muslim muslims arab arabs catholic protestant hindu "
    "sikh buddhist ismaili shiite shia sunni jew jews christmas easter passover "
    "ramadan eid thanksgiving halloween hanukkah democrat democrats republican "
    "republicans congress senate parliament duma knesset hamas hezbollah taliban "
    "pentagon kremlin white house city hall olympic olympics section".split())
_STOP_NAMES = frozenset({"white house", "city hall", "capitol hill", "wall street",
                         "downing street", "the city", "supreme court"})
_DIRECTIONS = {
    "north": "north", "south": "south", "east": "east", "west": "west",
    "northeast": "northeast", "north-east": "northeast", "northwest": "northwest",
    "north-west": "northwest", "southeast": "southeast", "south-east": "southeast",
    "southwest": "southwest", "south-west": "southwest",
    "northern": "north", "southern": "south", "eastern": "east", "western": "west",
    "northeastern": "northeast", "north-eastern": "northeast", "northwestern": "northwest",
    "north-western": "northwest", "southeastern": "southeast", "south-eastern": "southeast",
    "southwestern": "southwest", "south-western": "southwest", "central": "central",
}
_DIR_WORD = (r"north|south|east|west|north-?east|north-?west|south-?east|south-?west")
# "... of the Iraqi city of Mosul", "... of the northern town of": the place's kind,
# written between the preposition and its name
_APPOSITION = (r"(?:(?:[A-Z][\w'’-]+|northern|southern|eastern|western|central|coastal|border|"
               r"port|restive|besieged|strategic|rebel-held|government-held)\s+){0,3}"
               r"(?:city|town|village|province|region|district|capital|port|enclave|"
               r"governorate)\s+of\s+")
_DISTANCE = re.compile(
    r"(?:about |some |around |roughly |nearly |almost |approximately )?"
    r"(\d+(?:[.,]\d+)?)[\s-]*(km|kms|kilomet(?:er|re)s?|mi|miles?)\s+(?:to the\s+)?"
    rf"({_DIR_WORD})\s+of\s+(?:the\s+)?(?:{_APPOSITION})?$", re.I)
_DIRECTION_OF = re.compile(rf"\b({_DIR_WORD})\s+of\s+(?:the\s+)?(?:{_APPOSITION})?$", re.I)
# every "... of" pattern holds one of these words (the patterns ignore case)
_OF_CUES = ("north", "south", "east", "west", "near", "outside", "close", "outskirts",
            "vicinity", "suburbs", "edge")
_DIR_ADJ = re.compile(
    r"\b(north|south|east|west)?-?(northern|southern|eastern|western|central|"
    r"north-?eastern|north-?western|south-?eastern|south-?western)\s+(?:the\s+)?$", re.I)
_VICINITY = re.compile(
    r"\b(near|nearby|outside|close to|just outside|on the outskirts of|the outskirts of|"
    r"outskirts of|in the vicinity of|in the suburbs of|suburbs of|on the edge of)\s+"
    rf"(?:the\s+)?(?:{_APPOSITION})?$", re.I)
# streets, roads and rivers: toponyms the gazetteer has no entry for
_FEATURE = re.compile(
    r"\b((?:(?:[A-Z][a-z]+|[A-Z]\.|St\.|\d+(?:st|nd|rd|th))\s){1,3})"
    r"(Street|Avenue|Road|Boulevard|Drive|Lane|Parkway|Pike|Turnpike|River|Creek|Lake)\b"
    r"|\b((?:[A-Z][a-z]+\s){1,3})(?:St|Ave|Rd|Blvd)\.(?=\s)"
    r"|\bLake (?:[A-Z][a-z]+)(?: [A-Z][a-z]+)?\b"
    r"|\b(?:Highway|Interstate|Route|State Route|State Road|U\.S\. Route|County Road)"
    r" \d+[A-Z]?\b")
# one of these is in every _FEATURE match
_FEATURE_HEADS = ("Street", "Avenue", "Road", "Boulevard", "Drive", "Lane", "Parkway", "Pike",
                  "Turnpike", "River", "Creek", "Lake", "St.", "Ave.", "Rd.", "Blvd.",
                  "Highway", "Interstate", "Route")
_FEATURE_HEAD = re.compile("|".join(re.escape(h) for h in _FEATURE_HEADS))
_VICINITY_M = {"near": 10_000, "nearby": 10_000, "outside": 10_000, "close to": 10_000,
               "just outside": 5_000}


class Token(NamedTuple):
    """A word of the text: offsets, matching key, capitalisation."""

    start: int
    end: int
    key: str
    cap: bool
    upper: bool


class Span(NamedTuple):
    """A candidate place mention (a named tuple: the recogniser builds many).

    ``start``/``end`` cover the whole expression ("35 km north of Baghdad"),
    ``name_start``/``name_end`` the place name; ``first``/``last`` are token
    indices of the name; ``modifier`` is ``("east",)``, ``("near", 10000)`` or
    ``("north", 35000)`` (a distance in metres) or ``()``.
    """

    start: int
    end: int
    name_start: int
    name_end: int
    key_hash: int
    first: int
    last: int
    modifier: tuple = ()


_KEYS = BoundedMemo(100_000)  # word -> matching key, for the words seen


def _key(w: str) -> str:
    # one word's part of a name key (as _text.name_key folds it)
    if "." in w:
        k = w.replace(".", "").lower()
    else:
        if "'" in w or "’" in w:
            w = w.replace("'", "").replace("’", "")
        k = w.lower() if w.isascii() else fold(w)
    return ABBREVIATED_WORDS.get(k, k)


class Tokens:
    """The words of a text, stored column-wise (cheap to build for long texts).

    ``tokens[i]`` gives a :class:`Token`; ``starts``, ``ends``, ``words`` are lists.
    """

    __slots__ = ("starts", "ends", "words", "poss", "_toks", "dated")

    def __init__(self, text: str):
        found = list(_TOKEN.finditer(text))
        starts = [m.start() for m in found]
        words = [m.group() for m in found]
        ends = [a + len(w) for a, w in zip(starts, words)]
        self.poss: set[int] = set()
        for mark in _POSSESSIVE:  # "Baghdad's" -> "Baghdad": found from the marks, not
            p = text.find(mark)   # by testing every word
            while p >= 0:
                i = bisect_left(ends, p + 2)
                if i < len(ends) and ends[i] == p + 2 and p - starts[i] > 0:
                    words[i] = words[i][:-2]
                    ends[i] -= 2
                    self.poss.add(i)
                p = text.find(mark, p + 2)
        self.starts, self.words, self.ends = starts, words, ends
        self._toks: list[Token | None] = [None] * len(words)
        #: the datelines' place names (character ranges), once recognition has read them
        self.dated: list[tuple[int, int]] | None = None

    def __len__(self) -> int:
        return len(self.words)

    def key(self, i: int) -> str:
        """Matching key of token ``i``."""
        w = self.words[i]
        k = _KEYS.get(w)
        if k is None:
            k = _KEYS[w] = _key(w)
        return k

    def cap(self, i: int) -> bool:
        """True if token ``i`` starts with a capital letter."""
        return self.words[i][0].isupper()

    def __getitem__(self, i: int) -> Token:
        t = self._toks[i]
        if t is None:
            w = self.words[i]
            t = self._toks[i] = Token(self.starts[i], self.ends[i], self.key(i),
                                      w[0].isupper(), w.isupper() and len(w) > 1)
        return t

    def __iter__(self):
        return (self[i] for i in range(len(self.words)))


def tokenize(text: str) -> Tokens:
    """Split text into word tokens; possessive ``'s`` is left out of the word."""
    return Tokens(text)


class _PerName:
    """Reduce a flag over each name's postings to the set of names (key hashes) having it."""

    def __init__(self, ptr: np.ndarray, keys: np.ndarray):
        self.starts = ptr[:-1]
        self.nonempty = ptr[1:] > ptr[:-1]
        self.keys = keys

    def any(self, flag: np.ndarray) -> frozenset:
        hit = np.logical_or.reduceat(flag, self.starts) & self.nonempty if len(flag) else \
            np.zeros(len(self.keys), dtype=bool)
        return frozenset(self.keys[hit].tolist())


class Lexicon:
    """The name sets recognition needs, built once per gazetteer (about 0.2 s)."""

    def __init__(self, gazetteer: Gazetteer):
        a = gazetteer._a
        keys = gazetteer.keys
        ascii_ = np.asarray(a["key_ascii"])
        # the big name sets are dicts of ints (or strings) to None: membership tests
        # cost the same, and the cyclic garbage collector does not track such dicts,
        # so a full collection does not walk a million entries (80 ms each)
        self.names = dict.fromkeys(keys[ascii_].tolist())
        self.prefixes = dict.fromkeys(np.asarray(a["prefixes"]).tolist())
        lex = json.loads((gazetteer.path / "lexicon.json").read_text("utf-8"))
        self.first_names = frozenset(lex["first_names"])
        self.common = frozenset(lex["common_words"])
        self.surnames = frozenset(lex.get("surnames", ()))
        #: all lower-case English words (Debian wamerican): "is this an ordinary word"
        self.words = dict.fromkeys([*lex.get("words", ()), *self.common])
        self.gazetteer = gazetteer
        self._needs_dot = BoundedMemo(100_000)
        kinds = gazetteer._kinds
        strong_kind = np.array([k in ("country", "continent", "sea", "region") for k in kinds])
        demonym_kind = np.array([k in ("country", "region", "continent", "admin1")
                                 for k in kinds])
        division_kind = np.array([k in ("country", "admin1") for k in kinds])
        self._admin1_code = kinds.index("admin1")
        country_code = kinds.index("country")
        # the name classes below, for every name at once (one pass over the postings
        # costs less than asking name by name while parsing)
        types = np.asarray(a["post_type"])
        kind = gazetteer.kind_codes[np.asarray(a["post_row"])]
        big = gazetteer.population[np.asarray(a["post_row"])] > 1_000_000
        own = (types == 0) | (types == 2)
        dem = types == 3
        per_name = _PerName(np.asarray(a["post_ptr"]), keys)
        # the name is the place's own name or a recorded abbreviation, or another name
        # of a populous country ("Netherlands" for "The Netherlands", "Burma"; not
        # "Man" for the Isle of Man)
        self._strong = per_name.any(own & (strong_kind[kind] | big)
                                    | ((types == 1) & (kind == country_code) & big))
        self._major = per_name.any(own & strong_kind[kind])
        self._own = dict.fromkeys(per_name.any(own))  # most names: untracked, as above
        self._division = per_name.any(own & division_kind[kind])
        # a demonym of a country or region ("Canadian"), or of something and no place's
        # own name (not Canadian, Texas)
        self._demonym = per_name.any(dem & demonym_kind[kind]) | (
            per_name.any(dem) - per_name.any(types == 0))

    def strong(self, h: int) -> bool:
        """True if some place with this name is a country, continent or large admin area."""
        return h in self._strong

    def major(self, h: int) -> bool:
        """True if a country, continent, sea or large region has this name (or abbreviation).

        Unlike :meth:`strong`, a populous town or province does not count.
        """
        return h in self._major

    def is_demonym(self, h: int) -> bool:
        """True if the name is the demonym of a country/region ("Canadian", not Canadian, TX)."""
        return h in self._demonym

    def is_own_name(self, h: int) -> bool:
        """True if some place has this name as its own name or abbreviation."""
        return h in self._own

    def is_division(self, h: int) -> bool:
        """True if a country or first-level division has this name (or abbreviation)."""
        return h in self._division

    def needs_dot(self, h: int) -> bool:
        """True if the name is only a state's abbreviation, written with a dot ("Calif.").

        Not "Saudi", which abbreviates a country without a dot.
        """
        v = self._needs_dot.get(h)
        if v is None:
            rows, types = self.gazetteer.rows_for_hash(h)
            abbr = types == 2
            v = self._needs_dot[h] = bool(abbr.any()) and not bool((types == 0).any()) and bool(
                (self.gazetteer.kind_codes[rows[abbr]] == self._admin1_code).all())
        return v

    def is_abbreviation(self, h: int) -> bool:
        """True if the name is a recorded abbreviation ("US", "UAE", "Calif.")."""
        _, types = self.gazetteer.rows_for_hash(h)
        return bool((types == 2).any())


@lru_cache(maxsize=4)
def lexicon_for(gazetteer: Gazetteer) -> Lexicon:
    """The :class:`Lexicon` of a gazetteer, built once."""
    return Lexicon(gazetteer)


def _capital(word: str) -> bool:
    """Capitalised, counting an elided article: "Baghdad", "d'Ivoire", "l'Aquila"."""
    return word[0].isupper() or (len(word) > 2 and word[1] in "'’" and word[2].isupper())


# what may stand between a sentence's end and its first word: 'county.” Residents'
SENTENCE_GAP = " \t\"“”‘’'(["


def _sentence_initial(text: str, tok: Token, prev: Token | None) -> bool:
    i = tok.start - 1
    while i >= 0 and text[i] in SENTENCE_GAP:
        i -= 1
    if i < 0 or text[i] in "\n!?:;•*|—–":
        return True
    if text[i] == ".":
        # "U.S. forces", "St. Louis": a dot after an abbreviation is not a sentence end
        return not (prev is not None and prev.cap and len(prev.key) <= 3)
    return False


def recognize(text: str, gazetteer: Gazetteer | None = None,
              tokens: Tokens | None = None) -> list[Span]:
    """Find candidate place-name spans in ``text``, left to right, non-overlapping.

    Examples
    --------
    >>> [text[s.start:s.end] for text in ["Rockets hit Baghdad's Green Zone."]
    ...  for s in recognize(text)]
    ['Baghdad', 'Green Zone']
    """
    gaz = gazetteer or Gazetteer.load()
    lex = lexicon_for(gaz)
    toks = tokens if tokens is not None else tokenize(text)
    names, prefixes = lex.names, lex.prefixes
    words, starts, ends = toks.words, toks.starts, toks.ends
    n = len(words)
    spans: list[Span] = []
    # candidate starts: capitalised words, and "al-"/"el-" before one
    cands = [i for i, w in enumerate(words) if w[0].isupper()
             or (w in _ARTICLES and i + 1 < n and words[i + 1][0].isupper()
                 and text[ends[i]:starts[i + 1]] in ("-", "‐", " "))]
    skip_to = 0
    # in a dateline, capitals do not make a word a headline's ("BANTAM —", "HUME –")
    dated = toks.dated = datelines(text)
    for i in cands:
        if i < skip_to:
            continue
        key = toks.key(i)
        h = key_hash(key)
        best = -1
        best_h = 0
        shorter = (-1, 0)  # the longest match before the best one
        j = i
        while True:
            if h in names and _capital(words[j]):
                shorter = (best, best_h)
                best, best_h = j, h
            if j + 1 >= n or j - i >= 7:
                break
            gap = text[ends[j]:starts[j + 1]]
            if j in toks.poss and gap in ("'s ", "’s "):
                # the 's may belong to the name: "People's Republic of China", "Martha's
                # Vineyard" (name keys drop the apostrophe: "peoples republic of china")
                key, gap = key + "s", " "
                h = key_hash(key)
            if h not in prefixes or gap not in _GAPS:
                break
            nk = toks.key(j + 1)
            # lower-case words inside a name: function words ("Republic of the Congo"),
            # and any word joined by hyphens ("Port-au-Prince", "Stratford-upon-Avon")
            if not _capital(words[j + 1]) and nk not in _INNER and gap != "-":
                break
            key = f"{key} {nk}"
            j += 1
            h = key_hash(key)
        if best < 0:
            continue
        if shorter[0] >= 0 and toks.key(best) == "city" and best + 1 < n \
                and toks.key(best + 1) in _CITY_BODIES and _capital(words[best + 1]):
            best, best_h = shorter  # "Dublin City Schools": Dublin's schools
        span = _accept(text, toks, i, best, best_h, lex,
                       bool(dated) and any(a <= starts[i] and ends[best] <= b for a, b in dated))
        if span is None:
            continue
        spans.append(span)
        skip_to = best + 1
    spans = _listed_divisions(text, toks, spans, names)
    spans = _with_unknown(text, toks, _with_heads(text, toks, spans, names), lex, cands)
    return _with_features(text, toks, spans)


# "<town> City <body>" is the town's body ("Dublin City Schools", "Leeds City
# Council"), even where a division is called "<town> City"
_CITY_BODIES = frozenset(
    "schools school council hall manager commission commissioners attorney police court "
    "board clerk auditor treasurer engineer library".split())

# a place name before one of these is part of a longer name ("Napa Valley", "Ural
# Mountains", "Texas Colony"), which the gazetteer may not know: the whole name is
# kept, unresolved, rather than the town it starts with
_NAME_HEADS = frozenset({"Valley", "Bay", "Park", "Colony", "Mountains", "Island", "Falls",
                         "Heights", "Canyon", "Islands", "Sound", "Square", "Forest",
                         "Desert", "Peninsula", "Plateau", "Basin", "Wilderness", "Gorge",
                         "Reservoir", "Lakes", "Archipelago"})


def _with_heads(text: str, toks: Tokens, spans: list[Span], names) -> list[Span]:
    """Extend each name followed by a capitalised head noun to the whole name.

    An article the name began with is left out when that makes a known name: "The
    Sinai" + "Peninsula" is the Sinai Peninsula.
    """
    words, n = toks.words, len(toks)
    out: list[Span] = []
    extended_to = -1
    for s in spans:
        if s.name_start < extended_to:
            continue  # the head word, or a name starting with it
        k = s.last + 1
        if s.first == s.last and toks.key(s.first) in _PARTICLES and k < n \
                and words[k][0].isupper() and text[toks.ends[s.last]:toks.starts[k]] == " ":
            # "Los Feliz", "Abu Shok": a name the gazetteer does not know, not "Los"
            key = f"{toks.key(s.first)} {toks.key(k)}"
            s = Span(s.start, toks.ends[k], s.name_start, toks.ends[k], key_hash(key),
                     s.first, k, s.modifier)
            extended_to = s.end
        elif k < n and toks.ends[s.last] == toks.starts[k] - 1 \
                and text[toks.ends[s.last]] == " " and s.last not in toks.poss \
                and (words[k] in _NAME_HEADS or _national_head(toks, k)):
            if words[k] == "National":
                k += 1  # "Rocky Mountain National Park", not a town called National Park
            first, start = s.first, s.name_start
            key = " ".join(toks.key(i) for i in range(first, k + 1))
            if key_hash(key) not in names and first < s.last \
                    and (toks.key(first) == "the" or toks.key(first) in _ARTICLES):
                bare = " ".join(toks.key(i) for i in range(first + 1, k + 1))
                if key_hash(bare) in names:
                    first, start, key = first + 1, toks.starts[first + 1], bare
            s = Span(min(s.start, start), toks.ends[k], start, toks.ends[k], key_hash(key),
                     first, k, s.modifier)
            extended_to = s.end
        out.append(s)
    return out


# "X National Park", "X National Forest": a protected area, named after X
_NATIONAL_HEADS = frozenset({"Park", "Forest", "Monument", "Seashore", "Lakeshore",
                             "Preserve", "Grassland", "Grasslands", "Battlefield"})


def _national_head(toks: Tokens, k: int) -> bool:
    """True if token k begins "National Park" (or Forest, Monument...)."""
    return toks.words[k] == "National" and k + 1 < len(toks) \
        and toks.words[k + 1] in _NATIONAL_HEADS and toks.starts[k + 1] == toks.ends[k] + 1


# words that begin longer names ("Los Feliz", "Abu Shok", "Wadi Halfa"): alone before a
# capitalised word, they are the start of a name the gazetteer does not know
_PARTICLES = frozenset("los las el al san santa abu bab ras wadi tel tell ain deir kafr "
                       "beit umm bir".split())


# "the village of Umm Batta": a settlement noun names the place after it, even one the
# gazetteer does not know (it is kept, unresolved)
_SETTLEMENTS = frozenset("village town hamlet suburb neighbourhood neighborhood settlement "
                         "camp township community".split())
_PHRASE_END = re.compile(r"[,.;:)]|\s(?:in|on|near|of|north|south|east|west|outside|"
                         r"that|which|where|with|about|some|close|just|along|across)\b")
_SETTLEMENT_NAME = r"(?:[A-Z][\w'’-]+)(?: (?:[A-Z][\w'’-]+|al|el|de|la))*"
_SETTLEMENT_OF = re.compile(
    r"(?:" + "|".join(sorted(_SETTLEMENTS)) + r") of (" + _SETTLEMENT_NAME + ")")
# ... and a list after the plural: "the villages of Nuli and Avnevi", "three villages:
# Kampungu, Makonono and Mombo"
_PLURAL_SETTLEMENTS = ("villages", "towns", "hamlets", "settlements", "camps", "communities")
_SETTLEMENTS_OF = re.compile(
    r"(?:" + "|".join(_PLURAL_SETTLEMENTS) + r")(?: of|:) ("
    + _SETTLEMENT_NAME + r"(?:(?:, | and |, and )" + _SETTLEMENT_NAME + r")+)")
_LIST_NAME = re.compile(_SETTLEMENT_NAME)


def _with_unknown(text: str, toks: Tokens, spans: list[Span], lex: Lexicon,
                  capitalised: list[int]) -> list[Span]:
    """Add names the gazetteer does not know where the words around them say they are places.

    A settlement noun ("the village of Umm Batta", "the villages of Nuli and Avnevi",
    "Bunagana, a town on the border"), a head noun or "Fort" ("Waiheke Island", "Fort
    Benning"), a known place after a comma ("in Balintawak, Quezon City"): the name is
    kept whole and unresolved (and replaces known names inside it: not "Batta" in
    Hungary).
    """
    words = toks.words
    phrases = []  # (start, end) of the unknown names
    if any(w in text for w in _PLURAL_SETTLEMENTS):
        for m in _SETTLEMENTS_OF.finditer(text):
            base = m.start(1)
            phrases += [(base + n.start(), base + n.end())
                        for n in _LIST_NAME.finditer(m.group(1))]
    near = [i for i, w in enumerate(words) if w in _SETTLEMENTS] \
        if any(w in text for w in _SETTLEMENTS) else []
    for i in near:
        if i + 1 < len(words) and words[i + 1] == "of":
            m = _SETTLEMENT_OF.match(text, toks.starts[i])
            if m is not None:
                phrases.append(m.span(1))
        # "X, a town on ...", "X, a small village in ...": the article, at most two
        # adjectives, and the noun ends its phrase (not "Smith, a town councillor")
        after = text[toks.ends[i]:toks.ends[i] + 12]
        if not (_PHRASE_END.match(after) or i + 1 == len(words)):
            continue
        k = i - 1
        while k > i - 3 and k >= 0 and words[k].islower() and words[k] not in ("a", "an"):
            k -= 1
        if k >= 1 and words[k] in ("a", "an") and text[toks.ends[k - 1]:toks.starts[k]] == ", ":
            last = k - 1
            first = last
            while first > last - 2 and first > 0 and words[first - 1][0].isupper() \
                    and text[toks.ends[first - 1]:toks.starts[first]] == " ":
                first -= 1
            if words[first][0].isupper() and words[last][0].isupper() \
                    and words[first] not in lex.first_names:  # not "John Smith, a ..."
                phrases.append((toks.starts[first], toks.ends[last]))
    phrases += _unknown_before_heads(text, toks, lex, capitalised)
    phrases += _unknown_in_container(text, toks, spans, lex, capitalised)
    added, dropped = [], set()
    for a, b in phrases:
        inner = [s for s in spans if s.start < b and a < s.end]
        if any(s.start <= a and s.end >= b or s.start < a or s.end > b for s in inner):
            continue  # a known name covers it (or reaches beyond it): recognition has it
        edges = _token_range(toks, a, b)
        if edges is None:
            continue
        first, last = edges
        w = toks.words[first]
        if first == last and (w.lower() in lex.words or w in lex.first_names or w.isupper()):
            continue  # "the town of Hope" is found by the gazetteer, or not a name here
        key = " ".join(toks.key(i) for i in range(first, last + 1))
        added.append(Span(a, b, a, b, key_hash(key), first, last))
        dropped.update(id(s) for s in inner)
    if not added:
        return spans
    return sorted([s for s in spans if id(s) not in dropped] + added, key=lambda s: s.start)


_IN = frozenset({"in", "at", "near", "from"})


def _unknown_in_container(text: str, toks: Tokens, spans: list[Span], lex: Lexicon,
                          capitalised: list[int]) -> list[tuple[int, int]]:
    """Unknown places written in a known one: "in Balintawak, Quezon City".

    A word no list knows, after "in"/"at"/"near"/"from" and before a comma and a known
    place ("at Greenlane, Auckland").
    """
    after = {s.name_start for s in spans}
    words, out = toks.words, []
    for k in capitalised:
        if k == 0 or toks.key(k - 1) not in _IN or toks.ends[k] + 2 not in after \
                or text[toks.ends[k]:toks.ends[k] + 2] != ", ":
            continue
        w = words[k]
        key = toks.key(k)
        if not w.isupper() and key not in lex.words and key not in _STOP \
                and w not in lex.first_names and w not in lex.surnames \
                and key_hash(key) not in lex.names:  # not "in October, Moore"
            out.append((toks.starts[k], toks.ends[k]))
    return out


# heads that are also surnames: the word before must not be a person's name either
_SURNAME_HEADS = frozenset({"Hill", "Mill"})
_UNKNOWN_HEADS = _NAME_HEADS | {"Hills", "Dunes", "Ridge"} | _SURNAME_HEADS
_FORTS = frozenset({"Fort", "Camp"})
_HEADS_AND_FORTS = _UNKNOWN_HEADS | _FORTS


def _unknown_before_heads(text: str, toks: Tokens, lex: Lexicon, capitalised: list[int]
                          ) -> list[tuple[int, int]]:
    """Names the gazetteer does not know, made by a head noun or by "Fort"/"Camp".

    "Waiheke Island", "Squirrel Hill", "Swat Valley", "Fort Benning": one or two
    capitalised words before the head (after "Fort": one after it), none of them a
    first name ("Angela Hill"), nor a common word opening a sentence.
    """
    words, n = toks.words, len(toks)

    def ends_name(k: int) -> bool:
        # the name ends at token k: not "Operation Desert Storm", "Glacier Ridge
        # Elementary", "Fort Sanders Regional"
        return k + 1 >= n or not words[k + 1][0].isupper() \
            or text[toks.ends[k]:toks.starts[k + 1]] != " "

    out = []
    for k in [k for k in capitalised if words[k] in _HEADS_AND_FORTS]:
        w = words[k]
        if w in _FORTS and k + 1 < n and words[k + 1][0].isupper() \
                and text[toks.ends[k]:toks.starts[k + 1]] == " " and ends_name(k + 1) \
                and words[k + 1] not in lex.first_names and not words[k + 1].isupper() \
                and (toks.key(k + 1) not in lex.words or words[k + 1] in lex.surnames):
            # a surname or an unknown word: "Fort Hood", "Camp Lejeune"; not "Camp Fire"
            out.append((toks.starts[k], toks.ends[k + 1]))
            continue
        if w not in _UNKNOWN_HEADS or k == 0 or not ends_name(k):
            continue
        first = k
        while first > k - 2 and first > 0 and words[first - 1][0].isupper() \
                and not words[first - 1].isupper() \
                and text[toks.ends[first - 1]:toks.starts[first]] == " ":
            first -= 1
        while first < k and toks.key(first) in _INNER:
            first += 1  # "The Swat Valley"
        if first == k:
            continue
        w0 = words[first]
        if w0 in lex.first_names or (w in _SURNAME_HEADS and w0 in lex.surnames) or (
                toks.key(first) in lex.words
                and _sentence_initial(text, toks[first], toks[first - 1] if first else None)):
            continue
        out.append((toks.starts[first], toks.ends[k]))
    return out


# "Boone, Clay and Platte counties": the plural head makes every member a division
_PLURAL_HEADS = {"counties": "county", "parishes": "parish", "provinces": "province",
                 "states": "state", "governorates": "governorate", "oblasts": "oblast"}
_PLURAL_HEADS.update({k.title(): v for k, v in _PLURAL_HEADS.items() if k != "states"})
_PLURAL_HEAD_RE = re.compile(r"\b(?:" + "|".join(_PLURAL_HEADS) + r")\b")


def _listed_divisions(text: str, toks: Tokens, spans: list[Span], names) -> list[Span]:
    """Re-key the members of a list before a plural division noun ("X, Y and Z counties").

    Each member is matched as "X County" (a new span if the bare name was not
    found); a list needs at least two members.
    """
    if not any(head in text for head in _PLURAL_HEADS):
        return spans  # cheap: most texts have no such list
    found: dict[int, Span] = {}
    for m in _PLURAL_HEAD_RE.finditer(text):
        h = bisect_left(toks.starts, m.start())
        if h >= len(toks) or toks.starts[h] != m.start():
            continue
        members = _list_members(text, toks, h - 1, _PLURAL_HEADS[m.group()], names)
        if len(members) >= 2:
            for first, last, kh in members:
                found[first] = Span(toks.starts[first], toks.ends[last], toks.starts[first],
                                    toks.ends[last], kh, first, last)
    if not found:
        return spans
    out = []
    for s in spans:
        new = found.get(s.first)
        if new is not None and new.last == s.last:
            out.append(Span(s.start, s.end, s.name_start, s.name_end, new.key_hash, s.first,
                            s.last, s.modifier))  # keep "northern Boone" and its modifier
            del found[s.first]
        elif not any(n.first <= s.last and s.first <= n.last for n in found.values()):
            out.append(s)
    out.extend(found.values())
    out.sort(key=lambda s: s.start)
    return out


def _list_members(text: str, toks: Tokens, k: int, head: str, names) -> list[tuple]:
    """Members ``(first, last, key hash of "<name> <head>")`` of the list ending at token k."""
    members = []
    words = toks.words
    while k >= 0:
        member = None
        for first in range(k, max(-1, k - 3), -1):  # names of one to three words
            if not words[first][0].isupper() or (
                    first < k and text[toks.ends[first]:toks.starts[first + 1]] != " "):
                break
            kh = key_hash(" ".join(toks.key(i) for i in range(first, k + 1)) + " " + head)
            if kh in names:
                member = (first, k, kh)
        if member is None:
            break
        members.append(member)
        k = member[0] - 1
        if k >= 0 and toks.key(k) in ("and", "or") and not words[k][0].isupper():
            k -= 1
            if k < 0 or text[toks.ends[k]:toks.starts[k + 1]] not in (" ", ", "):
                break
        elif k < 0 or text[toks.ends[k]:toks.starts[k + 1]] != ", ":
            break
    return members[::-1]


def _token_range(toks: Tokens, a: int, b: int) -> tuple[int, int] | None:
    """First and last token of the text range ``a:b``, or None if it cuts a token."""
    first, last = bisect_left(toks.starts, a), bisect_left(toks.ends, b)
    if first >= len(toks) or toks.starts[first] != a or last >= len(toks) \
            or toks.ends[last] != b:
        return None
    return first, last


def _with_features(text: str, toks: Tokens, spans: list[Span]) -> list[Span]:
    """Add street/road/river names; they replace a shorter place name inside them."""
    # the full pattern only near its head words: scanning all of a long text with it
    # costs several times more (a match spans at most three words before its head)
    windows: list[list[int]] = []
    for h in _FEATURE_HEAD.finditer(text):
        a, b = max(0, h.start() - 120), h.end() + 80
        if windows and a <= windows[-1][1]:
            windows[-1][1] = b
        else:
            windows.append([a, b])
    if not windows:
        return spans  # most texts name no street, road or river
    found = []
    for a, b in windows:
        for m in _FEATURE.finditer(text, a, min(b, len(text))):
            if m.group(1) and m.group(1).split(" ", 1)[0].lower() in ("the", "a", "on", "in"):
                continue
            found.append((m.start(), m.end()))
    if not found:
        return spans
    out = list(spans)
    for a, b in found:
        edges = _token_range(toks, a, b)
        if edges is None:
            continue
        first, last = edges
        inside = [s for s in out if s.start < b and a < s.end]
        if any(s.name_start < a or s.name_end > b for s in inside):
            continue  # overlaps a longer expression: keep that
        for s in inside:
            out.remove(s)
        key = name_key(text[a:b])
        out.append(Span(a, b, a, b, key_hash(key), first, last))
    out.sort(key=lambda s: s.start)
    return out


# titles written short, before a name: "Sens. Byrd and Rockefeller" is no town of Sens
TITLE_ABBREVIATIONS = frozenset(
    "mr mrs ms dr sen sens gov govs gen gens rep reps rev prof col maj capt lt sgt cmdr "
    "adm det".split())


# "X is a town in ...", "X, the capital, was a port": the sentence says X is a place
PLACE_AFTER = re.compile(
    r"(?:,| \([^)]{0,80}\))?\s+(?:is|was|has been|became|remains)\s+(?:a|an|the|one of the)\s+"
    r"(?:[\w-]+\s+){0,4}?(?:city|town|village|municipality|county|capital|seat|community|"
    r"borough|township|suburb|district|settlement|neighbou?rhood|locality|port|commune|"
    r"parish|hamlet|province|region|state|census-designated|unincorporated|cities|towns|"
    r"villages|municipalities|communities|suburbs|districts|ports)\b"
    # ... or that it lies somewhere: "X is located in", "X lies east of"
    r"|(?:,| \([^)]{0,80}\))?\s+(?:(?:is|was) (?:located|situated)|lies) (?:in|on|at|near|"
    r"along|about|approximately|some|\d|(?:north|south|east|west)\w*)\b")


def _division_after(text: str, toks: Tokens, j: int, lex: Lexicon) -> bool:
    """True if a country or state follows token j after a comma ("Buffalo, New York")."""
    if text[toks.ends[j]:toks.ends[j] + 2] != ", " or j + 1 >= len(toks) \
            or not toks.words[j + 1][0].isupper():
        return False
    key, k = toks.key(j + 1), j + 1
    if not lex.is_division(key_hash(key)):
        if not (k + 1 < len(toks) and toks.starts[k + 1] == toks.ends[k] + 1
                and lex.is_division(key_hash(f"{key} {toks.key(k + 1)}"))):
            return False
        k += 1
    # not a list of names: "Mason, Devon and the driver"
    return not text.startswith((" and ", " or "), toks.ends[k])


def _accept(text, toks, i, j, h, lex: Lexicon, dateline: bool = False) -> Span | None:
    # plain list look-ups, not Token objects: this runs for every candidate name
    words = toks.words
    fstart, fend, lend = toks.starts[i], toks.ends[i], toks.ends[j]
    w = words[i]
    if dateline and len(toks.key(i)) > 2:
        return Span(fstart, lend, fstart, lend, h, i, j)  # the story's place
    upper = len(w) > 1 and w.isupper()
    key = toks.key(i)
    if i != j:
        full = " ".join(toks.key(k) for k in range(i, j + 1))
        if full in _STOP_NAMES:
            return None
        last = words[j]
        if upper and len(last) > 1 and last.isupper() and not lex.strong(h):
            # headline in capitals: only well-known places
            if all(toks.key(k) in lex.common or toks.key(k) in _INNER
                   for k in range(i, j + 1)):
                return None
    else:
        if key in _STOP or len(key) < 2:
            return None
        if upper and len(key) <= 4 and not lex.is_abbreviation(h):
            return None  # acronyms ("IT", "WHO") and initials ("E.U.", "B.B."), unless a
            # recorded abbreviation of a place ("US", "U.S.", "D.C.", "L.A.")
        if _CONTRACTION.search(w):
            return None  # "I've", "We'll"
        if key in TITLE_ABBREVIATIONS and text[fend:fend + 2] == ". " \
                and text[fend + 2:fend + 3].isupper():
            return None  # a title before a name: "Sens. Byrd", "Gen. Odierno"
        if len(key) == 2 and not upper and not (
                text[fend:fend + 1] == "." and lex.is_abbreviation(h)):
            return None  # two letters: only "US", "UK" or an abbreviation like "Ky."
        if len(key) <= 5 and not upper and text[fend:fend + 1] != "." \
                and text[fstart - 1:fstart] != "-" and lex.needs_dot(h):
            return None  # "Miss Cordiner", "Wash the car"; not "Miss.", "D-Calif"
        if key in lex.common and not lex.strong(h) and not lex.is_demonym(h) and (
                upper or _sentence_initial(text, toks[i], toks[i - 1] if i > 0 else None)) \
                and not PLACE_AFTER.match(text, lend) \
                and not _division_after(text, toks, j, lex):
            # "Flora said"; not "Flora is a town in Mississippi", "Buffalo, New York"
            return None
    if (i > 0 and toks.key(i - 1) not in _MODIFIER_TAIL) or lex.is_demonym(h):
        # the word before the name ends every modifier ("of", "near", "eastern"); a
        # nationality word takes none ("near the Ukrainian border" is no area of Ukraine)
        modifier, start = (), fstart
    else:
        modifier, start = _modifier(text, fstart)
    return Span(start, lend, fstart, lend, h, i, j, modifier)


_MODIFIER_TAIL = frozenset(
    ["of", "the", "near", "nearby", "outside", "to"] + list(_DIRECTIONS))


def _modifier(text: str, name_start: int) -> tuple[tuple, int]:
    before = text[max(0, name_start - 90):name_start]
    tail = before[-16:].split()
    if not tail or tail[-1].lower() not in _MODIFIER_TAIL:
        return (), name_start  # cheap exit: no modifier can end here
    base = name_start - len(before)
    # each pattern ends with a known word (then an optional "the"): try only those
    # that can end with the word written here
    last = tail[-1].lower()
    if last == "the" and len(tail) > 1:
        last = tail[-2].lower().lstrip("([\"'“‘")
    if last in ("near", "nearby", "outside", "to"):
        m = _VICINITY.search(before)
        if m:
            word = m.group(1).lower()
            return ("near", _VICINITY_M.get(word, 5_000)), base + m.start()
        return (), name_start
    if last == "of":
        low = before.lower()
        if not any(w in low for w in _OF_CUES):
            return (), name_start  # "University of", "state of": no pattern can match
    m = _DISTANCE.search(before) if last == "of" else None
    if m:
        value = float(m.group(1).replace(",", "."))
        unit = m.group(2).lower()
        metres = value * (1609.344 if unit.startswith("mi") else 1000.0)
        return (_DIRECTIONS[m.group(3).lower()], round(metres)), base + m.start()
    m = _DIRECTION_OF.search(before) if last == "of" else None
    if m:
        return (_DIRECTIONS[m.group(1).lower()] + "-of",), base + m.start()
    m = _VICINITY.search(before) if last == "of" else None
    if m:
        word = m.group(1).lower()
        return ("near", _VICINITY_M.get(word, 5_000)), base + m.start()
    m = _DIR_ADJ.search(before) if last in _DIRECTIONS else None
    if m:
        word = (m.group(1) or "") + m.group(2)
        d = _DIRECTIONS.get(word.lower().replace("--", "-"))
        if d is None:
            d = _DIRECTIONS.get(m.group(2).lower().replace("-", ""), "central")
        return (d,), base + m.start()
    return (), name_start
