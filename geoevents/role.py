"""Stage 3 — role: literal places versus other uses of place names.

Rules over the words around a recognised span, after GeoWebNews' taxonomy:

* ``demonym`` — a nationality word on its own ("the Iraqis");
* ``associative`` — a modifier use: a demonym before a noun ("Iraqi officials"),
  a hyphenated compound ("Iran-aligned militias", "US-led"), a facility named after
  the place ("US Embassy", "Mosul Dam");
* ``metonymic`` — a country or capital standing for its government ("Tehran
  denied", "Washington said", "supported by Tehran");
* ``non_toponym`` — a place name inside a person or organisation name ("George
  Washington", "Bank of America", "New York Times", "Islamic State of Iraq");
* ``literal`` — everything else.
"""

from __future__ import annotations

import math
import re

from ._text import key_hash
from .recognition import (
    PLACE_AFTER,
    SENTENCE_GAP,
    TITLE_ABBREVIATIONS,
    Lexicon,
    Span,
    Token,
    Tokens,
    datelines,
)

__all__ = ["assign_roles"]

_FACILITY = frozenset(
    "embassy consulate airport airbase base port harbour harbor bridge dam prison "
    "stadium station hotel palace mosque cathedral refinery camp checkpoint crossing "
    "barracks compound".split())
# a place name before these names an institution of the place: associative
_INSTITUTION = frozenset(
    "bank university college institute school schools academy airlines airways "
    "police army navy forces force government ministry council party "
    "corporation company group holdings foundation association federation league "
    "authority commission committee agency department office court parliament "
    "assembly congress senate hospital clinic church museum zoo symphony orchestra "
    "county's city's state's board district sheriff's sheriff fire public health "
    "library chamber club zoning planning water housing transit".split())
# ... and before these, the name is part of a title: a newspaper, a team, an event
_ORG_FOLLOW = frozenset(
    "times post herald tribune journal gazette globe news daily telegraph chronicle "
    "rangers rockets giants lakers inc corp ltd cup open marathon declaration accord "
    "accords agreement protocol convention war trust fc united "
    "international express magazine review record register sun star "
    "mail examiner observer independent guardian standard tigers bulls bears eagles "
    "hawks lions cardinals patriots dolphins jets kings ducks sharks flames stars "
    "pirates mariners braves cubs reds twins royals mets yankees red white blue "
    "sox athletics nationals padres dodgers colts saints falcons panthers "
    "steelers ravens bengals browns texans jaguars titans broncos chiefs raiders "
    "chargers cowboys commanders packers vikings lions seahawks 49ers rams "
    "warriors celtics knicks nets heat magic hornets pistons pacers cavaliers "
    "bucks raptors grizzlies pelicans spurs mavericks thunder jazz nuggets "
    "timberwolves trail blazers suns clippers capitals penguins flyers islanders "
    "devils bruins sabres senators canadiens maple leafs hurricanes predators "
    "blackhawks wild avalanche coyotes oilers canucks".split())
# newspaper words: "<place> Herald" is a title even where a town is called Herald
_PRESS = frozenset(
    "times post herald tribune journal gazette globe news daily telegraph chronicle "
    "express magazine review record register sun star mail examiner observer "
    "independent guardian standard courier dispatch enquirer bulletin leader "
    "sentinel statesman gleaner advertiser argus banner "
    "clarion ledger mercury messenger press".split())
# a town's own services: "Dayton Police", "Marion City Council" (not "Lincoln Hospital")
_MUNICIPAL = frozenset(
    "police fire council city county township village town sheriff sheriff's mayor "
    "public board".split())
# ... and two-word names of them, which only a town has: "Reading City Council"
_MUNICIPAL_AFTER = re.compile(
    r" (?:City|Town|Village|Borough) (?:Council|Hall|Manager|Commission)\b"
    r"| (?:Police|Fire) (?:Department|Chief)\b| Crown Court\b"
    r"| (?:Elementary|Middle) School\b")
_TOWN_OF = re.compile(r"\b(?:City|Town|Village|Borough) of $")


def town_cue(text: str, s: Span) -> bool:
    """True if the words around the name make it a town's.

    Its council, police or school after it ("Lebanon Police Department", "Jordan
    Elementary School", "Reading City Council"), or "City of" before it ("City of
    Norfolk"); not a state's body ("Ohio High School Athletic Association").
    """
    if text[s.start - 3:s.start] == "of " \
            and _TOWN_OF.search(text, max(0, s.start - 12), s.start) is not None:
        return True
    return text[s.end:s.end + 1] == " " and _MUNICIPAL_AFTER.match(text, s.end) is not None


# "<head> of <place>": the place is the institution's (associative) ...
_INSTITUTION_OF = frozenset(
    "university college institute school academy ministry minister department "
    "council church museum hospital commission committee agency office court board "
    "archdiocese diocese bishop governor mayor president secretary ambassador emir "
    "sultan king queen prince duke archbishop chamber port city town county "
    "government parliament police".split())
# ... or the organisation is merely named after it (non-toponym)
_NAMED_AFTER_OF = frozenset(
    "bank party federation association league union society order knights friends "
    "daughters sons brotherhood sisters army".split())
_GEO_HEAD_OF = frozenset(
    "republic kingdom gulf bay sea state states province city county port isle "
    "island islands strait straits cape lake river mount district region "
    "governorate emirate sultanate principality commonwealth federation".split())
_TITLES = frozenset(
    "mr mrs ms miss dr sir lord lady president sen senator gov governor gen general "
    "rep representative judge justice rev reverend father sister brother pope saint "
    "st prof professor col colonel maj major capt captain lt sgt cmdr adm admiral "
    "prime king queen prince princess sheikh imam ayatollah chancellor".split())
# titles written short, with a dot: "Sen. Graham" (but "... Circuit Judge. Madera")
_TITLE_ABBREVIATIONS = TITLE_ABBREVIATIONS | {"st"}
_METONYM_VERBS = frozenset(
    "said says say denied denies deny announced announces accused accuses warned warns "
    "urged urges claimed claims condemned condemns responded responds insisted insists "
    "wants want called calls threatened threatens agreed agrees rejected rejects "
    "blamed blames vowed vows demanded demands pledged pledges imposed imposes "
    "sanctioned sanctions recognised recognized recognizes recognises signed signs "
    "supports supported backs backed retaliated retaliates told tells confirmed "
    "confirms declined declines refused refuses promised promises hopes hoped "
    "considers considered decided decides welcomed welcomes criticised criticized "
    "protested protests summoned summons expelled expels approved approves".split())
_METONYM_BEFORE = re.compile(
    r"\b(?:supported by|backed by|funded by|armed by|sponsored by|sanctions (?:on|against)|"
    r"talks with|relations with|ties with|pressure from|pressure on|deal with|"
    r"agreement with|negotiations with|dialogue with|on behalf of|allied with|"
    r"ally of|allies of|proxies of|proxy of|envoy to|ambassador to|relations between)\s+$",
    re.I)
_SPEECH_AUX = frozenset("has have had will would is was has also".split())


def assign_roles(text: str, tokens: Tokens, spans: list[Span], lex: Lexicon
                 ) -> tuple[list[str], set[int]]:
    """The role of each span (same order), and the names the text places somewhere.

    The second value holds the key hashes of the names with a place cue ("in X", "X,
    Texas", "X is a city"); :func:`unsupported` reads it again after resolution.
    """
    starts = {s.first for s in spans}
    ends = {s.last for s in spans}
    roles = []
    gaz = lex.gazetteer
    # one sense per discourse: a name written somewhere as a place ("in Hamilton",
    # "Hamilton, Ohio", "Hamilton is a city") is a place wherever people-rules would
    # otherwise call it a person
    by_start = {s.name_start: s for s in spans}
    resident = [_residence(text, tokens, s, lex) for s in spans]
    # "HUME –": where the story is (as recognition read them)
    dated = tokens.dated if tokens.dated is not None else datelines(text)
    placed, weak = set(), set()
    for s, r in zip(spans, resident):
        if r or any(a <= s.name_start and s.name_end <= b for a, b in dated):
            placed.add(s.key_hash)
        elif _locative_cue(text, tokens, s, by_start, lex):
            # "at Carter's home", "into Gray's car": a possessive after a preposition
            # is as often a person's as a place's
            (weak if _possessive(text, tokens, s) else placed).add(s.key_hash)
    # a preposition before a list places all its members: "in Oakport and Moorhead"
    for s1, s2 in zip(spans, spans[1:]):
        if text[s1.end:s2.start] not in _LIST_JOINS:
            continue
        if s1.key_hash in placed or _after_preposition(tokens, s1.first, _FROM):
            (weak if _possessive(text, tokens, s2) else placed).add(s2.key_hash)
        elif s1.key_hash in weak:
            weak.add(s2.key_hash)
    persons = _persons(text, tokens, lex)
    # the surname of a person the text names in full ("Dorian K. Carter ... at
    # Carter's house") is placed only by a firm cue, not by a possessive
    weak -= placed
    placed |= weak
    for s, r in zip(spans, resident):
        roles.append("literal" if r  # "Ann Smith of Gaston", "Smith, 39, of Gaston"
                     else _role(text, tokens, s, lex, gaz, starts, ends, persons,
                                s.key_hash in placed and not (
                                    s.key_hash in weak and tokens.key(s.first) in persons)))
    # two lesser names side by side with only a space between are one longer name
    # ("Boko Haram fighters"), not two places, unless one of them is known as a place
    # here or a preposition puts the pair somewhere ("from Dogu Beyazit")
    for k, (s1, s2) in enumerate(zip(spans, spans[1:])):
        if s1.first == s1.last and s2.first == s2.last and s2.first == s1.last + 1 \
                and text[s1.end:s2.start] == " " and s1.key_hash != s2.key_hash \
                and not s1.modifier and not s2.modifier \
                and not (lex.strong(s1.key_hash) or lex.strong(s2.key_hash)) \
                and s1.key_hash not in placed and s2.key_hash not in placed \
                and roles[k] not in ("non_toponym", "demonym") \
                and roles[k + 1] not in ("non_toponym", "demonym") \
                and not _after_preposition(tokens, s1.first, _FROM):
            roles[k] = roles[k + 1] = "non_toponym"
    # one sense per discourse for people: a name seen inside a person's name
    # ("Barack Obama") is a person wherever it stands alone ("Obama said")
    people = {s.key_hash for s, r in zip(spans, roles)
              if r == "non_toponym" and s.first == s.last and _in_name_run(text, tokens, s,
                                                                          lex)}
    # ... and the name after a first name read as a person's is the surname, though
    # the first name is also a word ("Holly Cuenca ... Cuenca said")
    for k, (s1, s2) in enumerate(zip(spans, spans[1:])):
        if roles[k] == "non_toponym" and s1.first == s1.last == s2.first - 1 == s2.last - 1 \
                and text[s1.end:s2.start] == " " and tokens.words[s1.first] in lex.first_names \
                and s2.key_hash not in placed and not lex.strong(s2.key_hash):
            roles[k + 1] = "non_toponym"
            people.add(s2.key_hash)
    if people:
        for k, s in enumerate(spans):
            if s.key_hash in people and s.first == s.last and roles[k] != "non_toponym" \
                    and (s.key_hash not in placed or s.key_hash in weak) \
                    and not lex.strong(s.key_hash):
                roles[k] = "non_toponym"
    return roles, placed


def _after_first_name(text: str, toks: Tokens, i: int, lex: Lexicon) -> bool:
    """True if a first name opens the run of capitalised words that ends before token i."""
    k = i - 1
    for _ in range(3):
        if k < 0 or text[toks.ends[k]:toks.starts[k + 1]] not in (" ", ". ") \
                or not toks.words[k][0].isupper():
            return False
        w = toks.words[k]
        if w in lex.first_names and w.lower() not in lex.common and not w.isupper():
            return k < i - 1  # a first name, then at least one more name before token i
        k -= 1
    return False


_NAME_ENDS = frozenset({"inc", "ltd", "llc", "jr", "sr"})  # "Acme Inc. of", "Smith Jr. of"


def _abbreviated(text: str, tok: Token, s: Span, lex: Lexicon) -> bool:
    """True if the name is written as an abbreviation with dots ("L.A.", "Mass.")."""
    return "." in text[tok.start:tok.end] or (
        text[tok.end:tok.end + 1] == "." and lex.is_abbreviation(s.key_hash))


def _residence(text: str, toks: Tokens, s: Span, lex: Lexicon) -> bool:
    """True if the name says where someone or something is from.

    "Phillip Smith of Gaston", "Smith, of Gaston", "Smith, 39, of Gaston", "Acme Inc.,
    of Gaston"; not "Bank of Gaston", "Sunday Times of India" nor "Prince Charles of
    Wales".
    """
    i = s.first
    if i < 2 or toks.words[i - 1] not in ("of", "from") \
            or text[toks.ends[i - 1]:toks.starts[i]] != " ":
        return False
    w, gap = toks.words[i - 2], text[toks.ends[i - 2]:toks.starts[i - 1]]
    key = toks.key(i - 2)
    if gap in (", ", "., ") or (gap == ". " and key in _NAME_ENDS):
        return w[0].isupper() or (w.isdigit() and len(w) <= 3)
    return gap == " " and w[0].isupper() and (key not in lex.words
                                              or key.title() in lex.surnames) \
        and _after_first_name(text, toks, i - 1, lex)


def _possessive(text: str, toks: Tokens, s: Span) -> bool:
    """True if the span is a possessive: "Carter's", "Harris' car"."""
    return s.last in toks.poss or text[s.end:s.end + 1] in ("'", "’")


def _in_name_run(text: str, toks: Tokens, s: Span, lex: Lexicon) -> bool:
    """True if the span sits in a person's name.

    After a first name or title, or next
    to a capitalised word that is no English word ("Barack Obama", "Obama Kenyatta").
    """
    i, j = s.first, s.last
    if _after_initial(text, toks, i, lex):
        return True
    if i > 0 and text[toks.ends[i - 1]:toks.starts[i]] == " " and toks.words[i - 1][0].isupper():
        w = toks.key(i - 1)
        if w.title() in lex.first_names or w in _TITLES or w not in lex.words:
            return True
    if j + 1 < len(toks) and text[toks.ends[j]:toks.starts[j + 1]] == " " \
            and toks.words[j + 1][0].isupper():
        w = toks.key(j + 1)
        if w not in lex.words and w not in _ORG_HEAD and w not in _INSTITUTION:
            return True
    return False


_INITIALS = re.compile(r"(?:[A-Z]\.){2,}")


def _after_initial(text: str, toks: Tokens, i: int, lex: Lexicon) -> bool:
    """True if token i follows a person's initial: "John Q. Adams", "C.J. Fox".

    N., S., E. and W. count only after a name ("John W. Smith"): alone they may
    abbreviate a direction ("S. Korea", "S.E. Portland"); "U.S." and other place
    abbreviations never count.
    """
    if i == 0:
        return False
    k = i - 1
    w, gap = toks.words[k], text[toks.ends[k]:toks.starts[i]]
    if len(w) == 1 and w.isupper() and gap == ". ":
        return w not in "NSEW" or (k > 0 and toks.words[k - 1][0].isupper()
                                   and text[toks.ends[k - 1]:toks.starts[k]] == " ")
    return gap == " " and _INITIALS.fullmatch(w) is not None \
        and not lex.is_abbreviation(key_hash(toks.key(k))) \
        and not set(w) <= set("NSEW.") \
        and not (k > 0 and toks.words[k - 1].isdigit())  # "300 B.C. Sparta"


def _persons(text: str, toks: Tokens, lex: Lexicon) -> set[str]:
    """Keys of surnames written after a known first name in this text."""
    out = set()
    words = toks.words
    first_names = lex.first_names
    for i in [i for i, w in enumerate(words[:-1]) if w in first_names]:
        a, b = words[i], words[i + 1]
        if a[0].isupper() and b[0].isupper() and not b.isupper() \
                and text[toks.ends[i]:toks.starts[i + 1]] == " " and a.lower() not in lex.common:
            out.add(toks.key(i + 1))
    return out


def _sentence_start(text: str, tok: Token) -> bool:
    i = tok.start - 1
    while i >= 0 and text[i] in SENTENCE_GAP:
        i -= 1
    return i < 0 or text[i] in ".!?\n:;"


def _role(text, toks, s: Span, lex: Lexicon, gaz, starts, ends, persons, placed=False
          ) -> str:
    n = len(toks)
    first, last = toks[s.first], toks[s.last]
    nxt = toks[s.last + 1] if s.last + 1 < n else None
    prev = toks[s.first - 1] if s.first > 0 else None
    gap_after = text[last.end:nxt.start] if nxt is not None else ""
    gap_before = text[prev.end:first.start] if prev is not None else ""
    possessive = text[last.end:last.end + 2] in ("'s", "’s")
    single = s.first == s.last
    strong = lex.strong(s.key_hash)
    rows, types = gaz.rows_for_hash(s.key_hash)

    if s.key_hash in _UNIONS and not _after_preposition(toks, s.first, _FROM):
        return "non_toponym"  # "the EU said", "EU rules": the organisation, not "in the EU"
    if _named_thing(text, toks, s, first, prev, nxt, possessive):
        return "non_toponym"  # "St. Patrick's Day", "A/California/7/2009", "Dodge Durango"
    # --- names of people
    if prev is not None and prev.cap and not s.modifier and (
            gap_before == " " or gap_before == ". " and prev.key in _TITLE_ABBREVIATIONS):
        if prev.key in _TITLES and s.first - 1 not in ends:
            return "non_toponym"  # "President Bush", "Sen. Graham"
        if gap_before == " " and prev.key.title() in lex.first_names \
                and prev.key not in lex.common and not prev.upper:
            return "non_toponym"  # "George Washington", "Michael Jordan"
    if single and first.key.title() in lex.first_names and nxt is not None \
            and nxt.cap and gap_after == " " and not strong and not nxt.upper \
            and nxt.key not in _MUNICIPAL:
        return "non_toponym"  # "Paris Hilton", "Jackson Browne"; not "Paris Police"
    if single and first.key in persons and not strong and not placed:
        return "non_toponym"  # "Barack Obama ... Obama said"
    if single and not strong and not placed and _after_first_name(text, toks, s.first, lex):
        return "non_toponym"  # "Bruce Edwards Ivins": the end of a person's name
    if single and not strong and _after_initial(text, toks, s.first, lex):
        return "non_toponym"  # "John Q. Adams", "J.R. Smith"
    if single and not strong and not s.modifier and nxt is not None and gap_after == " " \
            and nxt.key in _SAY and not (prev is not None and prev.key in _FROM) \
            and not _PLACE_BEFORE.search(text[max(0, s.start - 40):s.start]):
        # "Flores said": people speak, small towns do not (but "the city of X said")
        return "non_toponym"
    if single and not strong and not s.modifier and _person_like(first, lex) \
            and not placed and _small(gaz, rows) \
            and not (first.upper and len(first.key) > 3):
        return "non_toponym"  # "Roberts", "Moore" (but "Richmond", "COLUMBUS -")
    # --- demonyms and modifier uses
    if lex.is_demonym(s.key_hash):
        return "demonym"  # "the Iraqis", "Iraqi officials" (GeoWebNews: demonym)
    if nxt is not None and gap_after in _HYPHENS and not nxt.cap:
        return "associative"  # "Iran-aligned", "US-led", "Saudi-backed"
    if prev is not None and gap_before in _HYPHENS and prev.key in ("d", "r", "i", "dfl"):
        return "literal"  # "Sen. Ray Miller, D-Columbus", "DFL-Minneapolis"
    own_ok = strong or first.key not in lex.common
    if (gap_after in _HYPHENS and s.last + 1 in starts and own_ok
            and (nxt.key not in lex.common or lex.major(key_hash(nxt.key)))) or (
            gap_before in _HYPHENS and s.first - 1 in ends and own_ok
            and (prev.key not in lex.common or lex.major(key_hash(prev.key)))):
        # "Fargo-Moorhead", "Egyptian-US", "the US-Canada border" (not "Wal-Mart")
        return "literal"
    # --- parts of longer capitalised names
    if gap_after in _HYPHENS and nxt is not None and nxt.cap:
        return "non_toponym"  # "Wal-Mart", "Coca-Cola"
    if gap_before in _HYPHENS and prev is not None and prev.cap and len(prev.key) > 1:
        return "non_toponym"
    if nxt is not None and gap_after == " " and nxt.key in _EPONYM_FOLLOW:
        return "non_toponym"  # "West Nile virus", "Marburg fever"
    if single and first.key in lex.common and not lex.major(s.key_hash) \
            and not _abbreviated(text, first, s, lex) \
            and not town_cue(text, s):  # "Reading City Council"
        # a common word in a capitalised phrase: "City Council", "Supreme Court",
        # "Federal Trade Commission" (though a big province is called Federal)
        if (nxt is not None and nxt.cap and gap_after == " ") or (
                prev is not None and prev.cap and gap_before == " "
                and not _sentence_start(text, prev) and prev.key not in _GEO_PREFIX):
            return "non_toponym"  # (but "East Oxford", "Greater Reading")
        if nxt is not None and nxt.key == "of" and gap_after == " ":
            return "non_toponym"  # "Bank of ..."
    if text[last.end:last.end + 1] == "$":
        return "non_toponym"  # "US$460 million"
    prev2 = toks[s.first - 2] if s.first > 1 and prev is not None and \
        prev.key in ("of", "for") else None
    if prev2 is not None and prev2.cap:
        if prev2.key in _NAMED_AFTER_OF or (prev2.key in ("state", "states")
                                            and _is_title_run(text, toks, s.first - 2)):
            return "non_toponym"  # "Bank of America", "Islamic State of Iraq"
        if first.key in lex.common and single and not strong:
            return "non_toponym"  # "Chamber of Commerce"
        if prev2.key in _INSTITUTION_OF:
            return "associative"  # "University of Texas", "Governor of Ohio"
        if prev2.key in lex.words and prev2.key not in _GEO_HEAD_OF \
                and s.first - 2 not in ends and not prev2.upper \
                and not _sentence_start(text, prev2):
            # "Voice of America", "Times of India"; but an office for a place is the
            # place's ("the Resident Coordinator for Pakistan", "Minister for Europe")
            return "associative" if prev.key == "for" else "non_toponym"
    # --- modifiers of a noun or of a capitalised institution/facility name
    if single and not strong and nxt is not None and gap_after == " " \
            and nxt.key in _TENURE and _small(gaz, rows):
        return "non_toponym"  # "the Obama administration" (not "the Kabul administration")
    if nxt is not None and gap_after == " " and nxt.key in _MODIFIED and not possessive:
        return "associative"  # "US officials", "Syria envoy"
    if nxt is not None and nxt.cap and gap_after == " " and nxt.key in _PRESS \
            and not possessive:
        return "non_toponym"  # "New Zealand Herald", though a town is called Herald
    if nxt is not None and nxt.cap and gap_after == " " and s.last + 1 not in starts \
            and not possessive:
        if nxt.key in _FACILITY or nxt.key in _INSTITUTION:
            return "associative"  # "US Embassy", "Mosul Dam", "Ohio Department"
        if nxt.key in _ORG_FOLLOW:
            return "non_toponym"  # "New York Times", "Houston Rockets"
        head = _org_head_ahead(text, toks, s.last + 1)
        if head in _ORG_HEAD:
            return "non_toponym"  # "Kenya Broadcasting Corporation", "Atlantic ... College"
    # part of a longer name of capitalised words the gazetteer does not know
    # ("Hussein Obama", "Jose Cordova Villalobos"): a person or an organisation
    if single and not strong and not placed and not s.modifier:
        if prev is not None and prev.cap and not prev.upper and gap_before == " " \
                and s.first - 1 not in ends and prev.key not in lex.words \
                and prev.key not in _GEO_PREFIX and not _sentence_start(text, prev):
            return "non_toponym"
        if nxt is not None and nxt.cap and not nxt.upper and gap_after == " " \
                and s.last + 1 not in starts and nxt.key not in lex.words \
                and not possessive:
            return "non_toponym"
    if prev is not None and prev.key == "united" and prev.cap and gap_before == " " \
            and s.first - 1 not in ends:
        return "non_toponym"  # "United Russia"
    # --- metonymy: "Tehran denied", "Washington has said", "supported by Tehran";
    # not a place where something is: "farmers in France protested"
    if strong or _is_capital(gaz, rows):
        if nxt is not None and gap_after == " " and not s.modifier \
                and not _after_preposition(toks, s.first, _FROM):
            if nxt.key in _METONYM_VERBS:
                return "metonymic"
            if nxt.key in _SPEECH_AUX and s.last + 2 < n and toks[s.last + 2].key in \
                    _METONYM_VERBS:
                return "metonymic"
        if _METONYM_BEFORE.search(text[max(0, s.start - 40):s.start]):
            return "metonymic"
    return "literal"


_HYPHENS = ("-", "‐", "–")
# a saint's name before these is a feast or an institution: "St. Patrick's Day"
_SAINTS_OWN = frozenset(
    "day eve church school high academy college hospital cathedral cemetery chapel "
    "catholic lutheran episcopal methodist medical health university seminary".split())
# makes of cars, named by news as vehicles: "a 1991 Honda", "Dodge Durango"
_MAKES = frozenset(
    "acura audi bmw buick cadillac chevrolet chevy chrysler dodge ford gmc honda hummer "
    "hyundai infiniti jeep kia lada lexus lincoln mazda mercedes mercury mitsubishi "
    "nissan oldsmobile plymouth pontiac porsche saab saturn subaru suzuki toyota "
    "volkswagen volvo".split())
_DETERMINERS = frozenset("a an the his her their my our your its this that "
                         "stolen new used older".split())
_YEAR = re.compile(r"(?:19|20)\d\d")
_COLOURS = frozenset("black white silver grey gray red blue green gold tan maroon "
                     "beige brown".split())


def _named_thing(text: str, toks: Tokens, s: Span, first: Token, prev: Token | None,
                 nxt: Token | None, possessive: bool) -> bool:
    """True if the name is part of the name of a thing, not a place.

    A feast or a saint's institution ("St. Patrick's Day", "St. John's Lutheran
    School"), a virus strain ("A/California/7/2009") or a car ("a 1991 Honda",
    "a silver 2001 Cadillac", "Dodge Durango", "Jeep Cherokee").
    """
    if possessive and first.key == "saint" and nxt is not None and nxt.cap \
            and nxt.key in _SAINTS_OWN:
        return True
    if text[s.start - 1:s.start] == "/" and text[s.end:s.end + 1] == "/" \
            and text[s.end + 1:s.end + 2].isdigit():
        return True
    if prev is None or text[prev.end:first.start] != " " or s.first != s.last:
        return False
    if prev.key in _MAKES and prev.cap:
        return True
    if first.key not in _MAKES:
        return False
    k = s.first - 1  # "a 1991 Honda", "her silver 2001 Cadillac"; not "in 2010 Lincoln"
    if toks.key(k) in _COLOURS and k > 0:
        k -= 1
    return k > 0 and _YEAR.fullmatch(toks.words[k]) is not None \
        and (toks.key(k - 1) in _DETERMINERS or toks.key(k - 1) in _COLOURS)


_GEO_PREFIX = frozenset(
    "greater upper lower new old north south east west northern southern eastern western "
    "central mount mt fort ft port saint st san santa lake cape isle downtown metro "
    "inner outer little big".split())
_EPONYM_FOLLOW = frozenset(
    "virus viruses fever flu influenza disease strain ebolavirus syndrome encephalitis "
    "hemorrhagic haemorrhagic "
    "variant bug agreement accords accord protocol convention treaty declaration "
    "doctrine formula process talks summit".split())
# prepositions that put a name on the map ("in Hamilton"); "of", "to" and "from"
# are left out: "son of Jackson", "a letter to Roberts"
_LOCATIVE = frozenset(
    "in at near outside into across toward towards through via inside within "
    "throughout downtown suburban northeast northwest southeast southwest".split())


# "a nurse in Tulsa told", "the player from Guelph said": the place, not the speaker
_FROM = _LOCATIVE | {"from"}
_LIST_JOINS = frozenset({" and ", " or ", ", and ", ", or "})
#: another place of the text this close (km) is a cue that a lone word is a place
SUPPORT_KM = 300.0
_SUPPORT_DEG2 = (SUPPORT_KM / 111.2) ** 2
_SAY = frozenset("said says told added explained noted wrote argued testified "
                 "recalled admitted acknowledged asked".split())


# unions of states that news names mostly as organisations; the gazetteer has them
# as regions, which they are after a preposition that puts them on the map
_UNIONS = frozenset(key_hash(k) for k in ("european union", "eu"))


def _after_preposition(toks: Tokens, i: int, words: frozenset) -> bool:
    """True if token i follows one of ``words``, perhaps with "the" between."""
    k = i - 1
    if k >= 0 and toks.key(k) == "the":
        k -= 1
    return k >= 0 and toks.key(k) in words


def _small(gaz, rows) -> bool:
    """True if no place with this name is a sizeable town or an admin area."""
    for r in rows[:32].tolist():
        if int(gaz.population[r]) >= 50_000 or gaz.kind_of(r) != "city":
            return False
    return True


_ORG_HEAD = frozenset(
    "corporation corp company co inc ltd llc society college institute foundation "
    "association federation union cross crescent network broadcasting airlines "
    "airways bank group holdings partners fund trust alliance coalition front "
    "movement brigade brigades battalion party club league".split())


def _org_head_ahead(text: str, toks: Tokens, k: int) -> str:
    """The last word of the capitalised run starting at token k (up to 4 words)."""
    last = ""
    for i in range(k, min(k + 4, len(toks))):
        t = toks[i]
        if not t.cap or (i > k and text[toks[i - 1].end:t.start] != " "):
            break
        last = t.key
    return last


def _person_like(tok: Token, lex: Lexicon) -> bool:
    t = tok.key.title()
    return t in lex.surnames or t in lex.first_names


_PLACE_NOUNS = frozenset(
    "police officers officer residents resident officials schools school council city "
    "county township village area mayor firefighters neighborhood neighbourhood homes "
    "man woman men women native natives businesses church hospital library voters "
    "streets downtown campus plant facility airport station park".split())
_PLACE_BEFORE = re.compile(
    r"\b(?:city|town|village|municipality|county|borough|township|suburb|port|"
    r"province|state|district|region|residents?|natives?|mayor|outskirts) of\s+$", re.I)


# the last word of a street's name ("St." is keyed as "saint")
_STREET_ENDS = frozenset("street road avenue ave boulevard blvd drive dr lane ln parkway pike "
                         "rd saint highway".split())
_POSSESSIVE_NOUN = re.compile(
    r"['’]s? (?:honou?r|memory|name|death|life|favou?r|case|words|view|opinion|mind|"
    r"absence|behalf|defen[cs]e|family|shoes)\b")


def _locative_cue(text: str, toks: Tokens, s: Span, by_start: dict[int, Span],
                  lex: Lexicon) -> bool:
    """Evidence the name is a place here: "in X", "X, Texas", "X is a city", "town of X".

    ``by_start`` maps the start offset of every name to its span.
    """
    end = toks.ends[s.last]
    if s.first > 0 and toks.key(s.first - 1) in _LOCATIVE \
            and not _POSSESSIVE_NOUN.match(text, end):
        return True  # "in Hamilton"; not "in Reyes' honor", "in Smith's memory"
    if text[end:end + 2] == ", ":
        after = by_start.get(end + 2)
        # "X, Texas", "X, Fayetteville"; not "X, Baker"
        if after is not None and (lex.is_division(after.key_hash)
                                  or not _person_like(toks[after.first], lex)):
            return True
    k = s.first - 1
    if k > 0 and toks.key(k) in _STREET_ENDS and toks.words[k - 1][0].isupper() \
            and text[toks.ends[k]:toks.starts[s.first]] in (", ", "., "):
        return True  # "12 Mill Road, Cambridge", "5 Main St., Dover": an address's town
    window = text[end:end + 100]
    if (" is " in window or " was " in window or " has " in window or " became " in window
            or " remains " in window or " lies " in window) and PLACE_AFTER.match(text, end):
        return True
    if s.last + 1 < len(toks) and text[end:toks.starts[s.last + 1]] == " " \
            and toks.key(s.last + 1) in _PLACE_NOUNS:
        return True  # "Roselle police", "Dublin residents"
    before = text[max(0, s.start - 40):s.start]
    return before.endswith(("of ", "of  ")) and bool(_PLACE_BEFORE.search(before))


# after a person's name: "the Obama administration", "the Bush years"
_TENURE = frozenset("administration administrations presidency era years".split())
_MODIFIED = frozenset(
    "officials official forces troops soldiers military jets aircraft warplanes drones "
    "government authorities president minister ministers diplomats diplomat envoy "
    "personnel citizens nationals companies firms navy embassy consulate ambassador "
    "spokesman spokeswoman lawmakers counterpart counterparts administration intelligence "
    "leaders leader allies officers delegation regime army militias militia fighters "
    "airstrikes strikes warships vessels tankers-owned -owned".split())


def _is_capital(gaz, rows) -> bool:
    for r in rows[:8].tolist():
        if gaz._fcodes[gaz._a["fcode"][r]] == "PPLC":
            return True
    return False


def _is_title_run(text, toks, k) -> bool:
    """True if token k is capitalised mid-sentence after another capitalised word."""
    if k == 0:
        return False
    a, b = toks[k - 1], toks[k]
    return a.cap and text[a.end:b.start] == " " and not text[max(0, a.start - 2):a.start
                                                              ].strip(" ").endswith(".")


def unsupported(text: str, tokens: Tokens, spans: list[Span], roles: list[str],
                placed: set[int], rows: list[int | None], lex: Lexicon) -> list[str]:
    """Roles again, once the spans are resolved: some lone words are no place.

    A lone word that is also an ordinary word or a person's name ("Bell", "Carter",
    "Nine"), or that no place has as its own name ("Nissan", an old name of
    Nissan-lez-Enserune), read as a town under 50,000 people, with no cue that a place
    is meant, is no place. A cue (at any of the name's mentions) is a locative
    preposition before it ("in Bell", "of Carter", also for the rest of a list: "in
    Gaston and Bell"), "Bell is a city", a container or hyphen beside it ("Bell, Calif.",
    "D-Carter"), capitals (a dateline), its state named in the text, or another place of
    the text within ``SUPPORT_KM`` of its town.

    Parameters
    ----------
    text, tokens, spans, roles, placed
        The text, its tokens, its spans, and their roles and the names placed from
        :func:`assign_roles`.
    rows : list of int or None
        Each span's resolved gazetteer row (``None`` if unresolved).
    lex : Lexicon

    Returns
    -------
    list of str
        The roles, with such words made ``non_toponym``.
    """
    gaz = lex.gazetteer
    resolved = [(s, r) for s, r, role in zip(spans, rows, roles)
                if r is not None and role != "non_toponym"]
    points = [(float(gaz.lat[r]), float(gaz.lon[r]), s.key_hash) for s, r in resolved]
    resolved_rows = {r for _, r in resolved}
    cued: dict[int, bool] = {}  # one sense per discourse: a cue anywhere counts everywhere
    out = list(roles)
    for k, (s, r, role) in enumerate(zip(spans, rows, roles)):
        if r is None or role != "literal" or s.first != s.last or s.modifier:
            continue
        if lex.major(s.key_hash) or gaz.kind_of(r) != "city" \
                or int(gaz.population[r]) >= 50_000:
            continue
        word = tokens.words[s.first]
        if word.isupper() or not (word.lower() in lex.words or word in lex.first_names
                                  or word in lex.surnames or not lex.is_own_name(s.key_hash)):
            continue
        if s.key_hash not in cued:
            cued[s.key_hash] = s.key_hash in placed or any(
                _after_preposition(tokens, o.first, _FROM | {"of"})
                or text[o.end:o.end + 1] in (",", "-") or text[max(0, o.start - 1):o.start] == "-"
                for o in spans if o.key_hash == s.key_hash)
        if cued[s.key_hash]:
            continue
        if int(gaz.priors.admin1[r]) in resolved_rows:
            continue  # its state is named: "Carter ... Oklahoma"
        lat, lon = float(gaz.lat[r]), float(gaz.lon[r])
        # equirectangular distance: exact enough at a few hundred km, and cheap
        kx = math.cos(math.radians(lat))
        if any(h != s.key_hash and (a - lat) ** 2 + ((b - lon) * kx) ** 2 <= _SUPPORT_DEG2
               for a, b, h in points):
            continue
        out[k] = "non_toponym"
    return out
