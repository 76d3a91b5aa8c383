"""The key a name is matched by: titles, aliases, people, lists.

Every lookup of a name a user typed compares `name_key(typed)` with a stored key made by the
same function, so the two never disagree. The key forgives what people get wrong when they
type a name: case, accents (Amélie = Amelie), dash and quote variants, colons and other
punctuation, repeated spaces, "&" for "and", and Roman numerals as whole words (Part II =
Part 2). Changing this function means a migration recomputing every stored key (m006_names).
"""

from __future__ import annotations

import string
import unicodedata

from tracker.patterns import pattern

# Apostrophes and quotes vanish ("Ocean's" = "Oceans"); every other run of punctuation,
# symbols or dashes separates words ("Spider-Man" = "Spider Man").
_QUOTES = pattern("['‘’‚‛`´\"“”„‟′″«»‹›]")
_NOT_WORD = pattern(r"[\W_]+")
# Letters NFKD does not split into a base letter and an accent.
_LETTERS = str.maketrans(
    {"ø": "o", "đ": "d", "ł": "l", "ħ": "h", "æ": "ae", "œ": "oe", "þ": "th", "ð": "d", "ı": "i"}
)


def _roman(number: int) -> str:
    tens, units = divmod(number, 10)
    return "x" * tens + ["", "i", "ii", "iii", "iv", "v", "vi", "vii", "viii", "ix"][units]


# Roman numerals 1 to 39: instalments and parts. Larger ones spell words (MIX, LIV, DI),
# so they stay words.
ROMAN = {_roman(number): str(number) for number in range(1, 40)}


# The same rules for plain ASCII text, as one table: the fast path a million-row import takes.
_ASCII: dict[int, str | None] = {ord(char): " " for char in string.punctuation + string.whitespace}
_ASCII.update({ord("'"): None, ord('"'): None, ord("`"): None, ord("&"): " and "})
_ASCII.update({code: " " for code in range(32)} | {127: " "})


def name_key(text: str) -> str:
    """The matching key of a name: lower-case ASCII-folded words, "and" for "&", Arabic
    numbers for Roman ones, single spaces. A name of punctuation only keys as itself."""
    if text.isascii():
        lowered = text.lower()
        if not lowered.replace(" ", "").isalnum():  # most titles need no table
            lowered = lowered.translate(_ASCII)
        words = lowered.split()
    else:
        decomposed = unicodedata.normalize("NFKD", text)
        folded = "".join(char for char in decomposed if not unicodedata.combining(char))
        folded = folded.casefold().translate(_LETTERS).replace("&", " and ")
        words = _NOT_WORD.sub(" ", _QUOTES.sub("", folded)).split()
    if not words:
        return " ".join(text.split()).casefold()
    if ROMAN.keys().isdisjoint(words):
        return " ".join(words)
    return " ".join([ROMAN.get(word, word) for word in words])


def compact_key(key: str) -> str:
    """A key without its spaces: "spiderman" finds "Spider-Man"."""
    return key.replace(" ", "")
