from __future__ import annotations

import pickle

import pytest

from counterpoint.analyze.pipeline import Pipeline, build_pipeline
from counterpoint.errors import AnalyzeError, UnsupportedLanguageError
from counterpoint.model import Analysis, Article
from counterpoint.settings import Settings


class _Needs:
    name = "test.needs.v1"
    requires = ("sentences",)
    assigns = ("embeddings",)

    def __call__(self, analysis):
        return analysis


class _Bad:
    name = "test.bad.v1"
    requires = ("article",)
    assigns = ("language",)

    def __call__(self, analysis):
        return "not an analysis"


def test_pipeline_checks_requirements_when_built():
    with pytest.raises(AnalyzeError, match="requires sentences"):
        Pipeline([_Needs()])


def test_pipeline_checks_what_components_return():
    with pytest.raises(AnalyzeError, match="returned str"):
        Pipeline([_Bad()])(Article(id="x", text="Hallo Welt."))


def test_unknown_component_name():
    with pytest.raises(AnalyzeError, match="no component named"):
        build_pipeline(Settings(), ["sentences.nothing.v9"])


def test_default_pipeline_runs_records_its_components_and_pickles():
    pipe = build_pipeline(Settings())
    assert pipe.names == ("language.langid.v1", "sentences.rules.v1", "entities.crf.v1", "quotes.rules.v1",
                          "claims.rules.v1", "embed.use.v1")
    clone = pickle.loads(pickle.dumps(pipe))
    text = "Die Regierung hat am Montag ein neues Gesetz beschlossen. Es tritt im Mai in Kraft."
    result = clone(Article(id="a", text=text))
    assert isinstance(result, Analysis)
    assert result.language == "de" and result.article.language == "de"
    assert [s.text for s in result.sentences] == [
        "Die Regierung hat am Montag ein neues Gesetz beschlossen.", "Es tritt im Mai in Kraft."]
    assert result.embeddings is not None and result.embeddings.shape[0] == 2
    assert result.components == pipe.names


def test_language_from_metadata_wins():
    pipe = build_pipeline(Settings())
    result = pipe(Article(id="a", text="The government passed a new law on Monday.", language="EN"))
    assert result.language == "en"


def test_unsupported_language_is_a_clear_error():
    pipe = build_pipeline(Settings())
    article = Article(id="a", text="Η κυβέρνηση ψήφισε νέο νόμο τη Δευτέρα.", language="el")
    with pytest.raises(UnsupportedLanguageError, match="not supported by the use embedder"):
        pipe(article)
