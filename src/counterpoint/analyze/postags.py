"""Part-of-speech tags from HanTa (the Hanover Tagger; German and English models ship in the package).

Loaded lazily, once per process. Used where a rule needs to tell a noun or a finite verb from other words:
label nouns before a shared name (compare.labels) and the verb after a quotation (analyze.quotes).
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
    return [(str(w), str(lemma), str(tag)) for w, lemma, tag in tagger(language).tag_sent(words, taglevel=1)]
