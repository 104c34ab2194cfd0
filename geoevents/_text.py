"""Text normalisation shared by the gazetteer build and the runtime.

A name is matched through its *key*: accents stripped, case folded, apostrophes and
dots removed, every other run of punctuation or space collapsed to one space. The
key is hashed to a signed 64-bit integer (BLAKE2b, stable across processes and
Python hash seeds), which is what the artifact stores.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

__all__ = ["name_key", "key_hash", "fold"]

_DROP = re.compile(r"[\u2019\u2018'`´.\u02bc\u02bf\u02be]")
_SPACE = re.compile(r"[\W_]+", re.UNICODE)


def fold(text: str) -> str:
    """Strip accents and fold case: ``"Bağdat" -> "bagdat"``."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def name_key(name: str) -> str:
    """Return the matching key of a place name.

    Examples
    --------
    >>> name_key("Bab el-Mandeb")
    'bab el mandeb'
    >>> name_key("U.S.")
    'us'
    >>> name_key("  Sant Julià de Lòria ")
    'sant julia de loria'
    >>> name_key("Mt. Pleasant") == name_key("Mount Pleasant")
    True
    """
    if name.isascii():
        if "  " not in name and name.replace(" ", "").isalpha():
            # letters and single spaces (most names): nothing to drop or collapse
            key = name.lower().strip()
            return _ABBREVIATED.sub(_spell_out, key) if "t" in key else key
        text = name.lower()
    else:
        text = fold(name)
    text = _DROP.sub("", text)
    key = _SPACE.sub(" ", text).strip()
    return _ABBREVIATED.sub(_spell_out, key)


#: Words that place names abbreviate, spelled out in keys: "St. Louis" = "Saint Louis",
#: "Mt. Pleasant" = "Mount Pleasant", "Ft. Worth" = "Fort Worth".
ABBREVIATED_WORDS = {"st": "saint", "mt": "mount", "ft": "fort"}
_ABBREVIATED = re.compile(r"\b(?:st|mt|ft)\b")


def _spell_out(m: re.Match) -> str:
    return ABBREVIATED_WORDS[m.group()]


class BoundedMemo(dict):
    """A memo that empties itself when it holds ``size`` entries.

    Memory stays bounded whatever the input; emptying costs nothing on the hit path,
    where an LRU would do bookkeeping on every look-up. A copy (pickle) starts empty.

    Examples
    --------
    >>> memo = BoundedMemo(2)
    >>> memo["a"], memo["b"], memo["c"] = 1, 2, 3
    >>> dict(memo)
    {'c': 3}
    """

    __slots__ = ("size",)

    def __init__(self, size: int):
        super().__init__()
        self.size = size

    def __setitem__(self, key, value) -> None:
        if len(self) >= self.size:
            self.clear()
        super().__setitem__(key, value)

    def __reduce__(self):
        return (BoundedMemo, (self.size,))


_HASHES = BoundedMemo(50_000)  # key -> hash, for the keys seen


def key_hash(key: str) -> int:
    """Stable signed 64-bit hash of a key (BLAKE2b, 8 bytes)."""
    h = _HASHES.get(key)
    if h is None:
        h = _HASHES[key] = int.from_bytes(
            hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True)
    return h
