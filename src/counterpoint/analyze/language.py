"""Language of an article, by py3langid restricted to the configured languages."""

from __future__ import annotations

import dataclasses
from typing import Any, ClassVar

from .. import registry
from ..model import Analysis
from ..modelcache import cached
from ..settings import Settings


def _identifier(languages: tuple[str, ...]) -> Any:
    def build() -> Any:
        from py3langid.langid import MODEL_FILE, LanguageIdentifier

        ident = LanguageIdentifier.from_model_file(MODEL_FILE, norm_probs=True)
        if languages:
            ident.set_languages(list(languages))
            # keep only the configured languages' columns (the full table would be cached, and loaded, too)
            ident._full_model = (ident.nb_ptc, ident.nb_pc, ident.nb_classes)
        return ident

    return cached("langid2-" + ("-".join(sorted(languages)) or "all"), "py3langid", build)


def detect_language(text: str, languages: tuple[str, ...]) -> tuple[str, float]:
    """Best language among ``languages`` (all that py3langid knows when empty) and its probability (on at
    most the first 5,000 chars)."""
    lang, prob = _identifier(tuple(sorted(languages))).classify(text[:5000])
    return str(lang), float(prob)


class LangidDetector:
    """Sets ``Analysis.language``; a language given with the article (metadata) wins. ``languages`` are
    the answers allowed (empty: every language py3langid knows, as ingest needs to mark the others)."""

    name: ClassVar[str] = "language.langid.v1"
    requires: ClassVar[tuple[str, ...]] = ("article",)
    assigns: ClassVar[tuple[str, ...]] = ("language",)

    def __init__(self, languages: tuple[str, ...]) -> None:
        self.languages = languages

    def __call__(self, analysis: Analysis) -> Analysis:
        given = analysis.article.language
        lang = given.lower()[:2] if given else detect_language(analysis.article.text, self.languages)[0]
        article = analysis.article if given == lang else dataclasses.replace(analysis.article, language=lang)
        return dataclasses.replace(analysis, article=article, language=lang)


@registry.register("language.langid.v1")
def _factory(settings: Settings) -> LangidDetector:
    return LangidDetector(settings.languages)
