"""The per-article pipeline: components that read and write fields of an ``Analysis``.

Each component declares what it ``requires`` and what it ``assigns``; ``Pipeline`` checks once, when
it is built, that every requirement is assigned by an earlier component, and checks at run time that
each component returns an ``Analysis``. Components store their parameters in ``__init__`` and do the
work when called, so they stay cheap to build and picklable (heavy models load lazily).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Sequence
from typing import ClassVar, Protocol, runtime_checkable

from .. import registry
from ..errors import AnalyzeError
from ..model import Analysis, Article
from ..settings import Settings

# fields of Analysis that exist before any component runs
_GIVEN = frozenset({"article"})


@runtime_checkable
class Component(Protocol):
    name: ClassVar[str]
    requires: ClassVar[tuple[str, ...]]
    assigns: ClassVar[tuple[str, ...]]

    def __call__(self, analysis: Analysis) -> Analysis: ...


class Pipeline:
    """An ordered, checked list of components."""

    def __init__(self, components: Sequence[Component]) -> None:
        fields = {f.name for f in dataclasses.fields(Analysis)}
        have = set(_GIVEN)
        for comp in components:
            missing = [r for r in comp.requires if r not in have]
            if missing:
                raise AnalyzeError(
                    f"component {comp.name} requires {', '.join(missing)}, which no earlier component assigns")
            unknown = [a for a in comp.assigns if a not in fields]
            if unknown:
                raise AnalyzeError(f"component {comp.name} assigns unknown field(s) {', '.join(unknown)}")
            have.update(comp.assigns)
        self.components = tuple(components)

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.components)

    def __call__(self, article: Article) -> Analysis:
        analysis = Analysis(article=article)
        for comp in self.components:
            result = comp(analysis)
            if not isinstance(result, Analysis):
                raise AnalyzeError(f"component {comp.name} returned {type(result).__name__}, not Analysis")
            analysis = dataclasses.replace(result, components=(*result.components, comp.name))
        return analysis

    def pipe(self, articles: Iterable[Article]) -> list[Analysis]:
        return [self(a) for a in articles]


def default_component_names(settings: Settings) -> list[str]:
    extractors = (settings.entity_recognizer, settings.quote_extractor, settings.claim_extractor)
    return [
        "language.langid.v1",
        settings.sentence_splitter,
        *(name for name in extractors if name),
        f"embed.{settings.embedder}.v1",
    ]


def build_pipeline(settings: Settings, names: Sequence[str] | None = None) -> Pipeline:
    names = list(names) if names is not None else default_component_names(settings)
    return Pipeline([registry.create(n, settings) for n in names])
