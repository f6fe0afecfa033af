"""The public functions: load, analyze and compare articles (the only place that wires I/O to the
pure pipeline besides the CLI)."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from pathlib import Path

from .analyze.pipeline import build_pipeline
from .compare import compare_analyses
from .errors import CompareError, CounterpointError
from .model import Analysis, Article, Comparison
from .settings import Settings, load_settings
from .sources import load_sources

Input = Article | str | Path


def load(inputs: Iterable[Input], settings: Settings | None = None) -> tuple[list[Article], list[dict[str, str]]]:
    """Articles from paths, URLs or ready ``Article`` values; failures come back as ``dropped``."""
    settings = settings or load_settings()
    articles: list[Article] = []
    dropped: list[dict[str, str]] = []
    specs: list[str] = []
    for item in inputs:
        if isinstance(item, Article):
            articles.append(item)
        else:
            specs.append(str(item))
    if specs:
        loaded, failed = load_sources(specs, settings)
        articles.extend(loaded)
        dropped.extend(failed)
    return articles, dropped


def analyze(
    articles: Sequence[Article],
    settings: Settings | None = None,
    *,
    on_error: Callable[[Article, CounterpointError], None] | None = None,
    progress: Callable[[Article], None] | None = None,
) -> list[Analysis]:
    """Run the per-article pipeline. Without ``on_error`` the first failure raises."""
    pipeline = build_pipeline(settings or load_settings())
    out = []
    for article in articles:
        try:
            out.append(pipeline(article))
        except CounterpointError as err:
            if on_error is None:
                raise
            on_error(article, err)
        if progress:
            progress(article)
    return out


def compare(
    inputs: Iterable[Input],
    settings: Settings | None = None,
    *,
    progress: Callable[[Article], None] | None = None,
) -> Comparison:
    """Compare several articles about one story: files, URLs or ``Article`` values.

    Inputs that cannot be used are reported in ``Comparison.dropped`` as long as two usable articles
    remain; otherwise ``CompareError`` says why.
    """
    settings = settings or load_settings()
    articles, dropped = load(inputs, settings)

    def on_error(article: Article, err: CounterpointError) -> None:
        dropped.append({"source": article.source or article.id, "reason": err.message})

    analyses = analyze(articles, settings, on_error=on_error, progress=progress)
    if len(analyses) < 2:
        reasons = "; ".join(f"{d['source']}: {d['reason']}" for d in dropped) or "too few inputs"
        raise CompareError(f"need at least two usable articles, got {len(analyses)} ({reasons})")
    return compare_analyses(analyses, settings, dropped)

