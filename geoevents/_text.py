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
    """
    if name.isascii():
        text = name.lower()
    else:
        text = fold(name)
    text = _DROP.sub("", text)
    return _SPACE.sub(" ", text).strip()


_HASHES: dict[str, int] = {}
HASH_MEMO_SIZE = 50_000  # keys remembered; the memo is emptied when full


def key_hash(key: str) -> int:
    """Stable signed 64-bit hash of a key (BLAKE2b, 8 bytes)."""
    h = _HASHES.get(key)
    if h is None:
        if len(_HASHES) >= HASH_MEMO_SIZE:  # a memo of the keys seen: bounded, small
            _HASHES.clear()
        h = _HASHES[key] = int.from_bytes(
            hashlib.blake2b(key.encode("utf-8"), digest_size=8).digest(), "little", signed=True)
    return h
