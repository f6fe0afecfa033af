"""Part-of-speech tags from HanTa (the Hanover Tagger; German and English models ship in the package).

Loaded lazily, once per process. Used where a rule needs to tell a noun or a finite verb from other words:
label nouns before a shared name (compare.labels), the verb after a quotation (analyze.quotes) and who can
speak (analyze.speakers).
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

MODELS = {"de": "morphmodel_ger.pgz", "en": "morphmodel_en.pgz"}


@lru_cache(maxsize=2)
def tagger(language: str) -> Any:
    """HanTa's tagger for ``language`` ("de" or "en")."""
    from HanTa import HanoverTagger as ht

    return ht.HanoverTagger(MODELS[language])


def tags(words: list[str], language: str) -> list[tuple[str, str, str]]:
    """(word, lemma, tag) for each word, tagged as one sequence."""
    return list(_tags(tuple(words), language))


@lru_cache(maxsize=20_000)
def _tags(words: tuple[str, ...], language: str) -> tuple[tuple[str, str, str], ...]:
    return tuple((str(w), str(lemma), str(tag)) for w, lemma, tag in tagger(language).tag_sent(list(words), taglevel=1))


@lru_cache(maxsize=50_000)
def word_tag(word: str, language: str) -> str:
    """The likeliest tag of one word out of context."""
    ranked = tagger(language).tag_word(word)
    return str(ranked[0][0]) if ranked else ""
