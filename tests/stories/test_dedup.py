"""Near-duplicate detection: agency copies with small edits are found, other reports of the event are not."""

from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest

from counterpoint.settings import Settings
from counterpoint.stories import dedup
from counterpoint.stories.dedup import BandIndex, DuplicateIndex
from counterpoint.stories.fingerprint import signature

SETTINGS = Settings()
PERM = SETTINGS.minhash_perm


def _sig(text: str) -> np.ndarray:
    values = signature(text, PERM)
    assert values is not None
    return values


def _agency_copy(text: str) -> str:
    """Another outlet's copy: its own headline line and byline, one paragraph dropped, a credit added."""
    paragraphs = [p for p in text.splitlines() if p.strip()]
    del paragraphs[len(paragraphs) // 2]
    return "\n".join(["Putin in Hanoi: Dutzende Abkommen unterzeichnet", "Von Anna Beispiel, dpa",
                      *paragraphs[1:], "© dpa-infocom, dpa:240620-99-123456/3"])


@pytest.fixture(scope="module")
def seed_texts(shared: Path) -> tuple[str, str]:
    read = lambda name: (shared / "seeds" / name).read_text(encoding="utf-8")  # noqa: E731
    return read("000_eb1b102821afac78.txt"), read("003_e346abbffeafbc41.txt")


def test_edited_agency_copy_is_found_and_another_report_is_not(seed_texts: tuple[str, str]) -> None:
    original, other_report = seed_texts
    index = DuplicateIndex.from_settings(SETTINGS)
    assert index.add("dw", _sig(original)) is None
    assert index.add("wsws", _sig(other_report)) is None  # same event, written separately
    assert index.add("copy", _sig(_agency_copy(original))) == "dw"
    assert len(index) == 3
    assert index.similarity("dw", "copy") >= SETTINGS.duplicate_threshold
    assert index.similarity("dw", "wsws") < 0.1


def test_rebuilt_index_finds_the_same_original(seed_texts: tuple[str, str]) -> None:
    original, other_report = seed_texts
    index = DuplicateIndex.from_signatures([("dw", _sig(original)), ("empty", None), ("wsws", _sig(other_report))],
                                           SETTINGS)
    assert len(index) == 2 and "empty" not in index
    assert index.add("copy", _sig(_agency_copy(original))) == "dw"


def test_the_most_similar_earlier_article_is_answered(seed_texts: tuple[str, str]) -> None:
    original = seed_texts[0]
    index = DuplicateIndex.from_settings(SETTINGS)
    index.add("edited", _sig(_agency_copy(original)))
    index.add("original", _sig(original))  # the edited copy comes first here, and matches the original
    assert index.add("again", _sig(original + "\nMehr dazu in Kürze.")) == "original"


WIRE = [
    "Ein Regionalzug der Elbtal-Bahn ist am Dienstagmorgen kurz vor Wittenbrück entgleist.",
    "Nach Angaben der Polizei wurden elf Menschen verletzt, drei von ihnen schwer.",
    "Der Zug war mit rund 80 Fahrgästen auf dem Weg von Aldenau nach Wittenbrück.",
    "Die Strecke bleibt nach Angaben der Bahn voraussichtlich bis Donnerstag gesperrt.",
    "Die Ursache des Unglücks ist noch unklar, die Ermittlungen der Landesbehörde laufen.",
    "Verkehrsminister Brandt kündigte an, die Unfallstelle am Mittwoch zu besuchen.",
]


def test_exact_copy_ties_go_to_the_earliest() -> None:
    text = "\n".join(WIRE)
    index = DuplicateIndex(0.6, PERM)
    assert index.add("first", _sig(text)) is None
    assert index.add("second", _sig(text)) == "first"
    assert index.add("third", _sig(text)) == "first"


def test_unrelated_text_and_missing_signature() -> None:
    index = DuplicateIndex(0.6, PERM)
    index.add("wire", _sig("\n".join(WIRE)))
    unrelated = "Die Norder Hafenwerft in Fehrsund will 450 ihrer 1.900 Arbeitsplätze abbauen, teilte der Vorstand mit."
    assert index.add("werft", _sig(unrelated)) is None
    assert index.add("no-words", None) is None
    assert "no-words" not in index and len(index) == 2


def test_an_id_added_twice_is_indexed_once() -> None:
    index = DuplicateIndex(0.6, PERM)
    values = _sig("\n".join(WIRE))
    assert index.add("a", values) is None
    assert index.add("a", values) is None  # itself is not its own original
    assert len(index) == 1


def test_the_index_grows_past_its_first_allocation() -> None:
    words = " ".join(WIRE).split()
    rng = np.random.default_rng(0)
    texts = [" ".join(rng.choice(words, 40)) for _ in range(150)]  # 150 different word salads
    index = DuplicateIndex(0.6, PERM)
    assert [index.add(f"n{i}", _sig(text)) for i, text in enumerate(texts)] == [None] * 150
    assert index.add("copy", _sig(texts[149] + " Ende")) == "n149"


def test_bad_signatures_and_thresholds_are_refused() -> None:
    index = DuplicateIndex(0.6, PERM)
    with pytest.raises(ValueError, match="minhash_perm"):
        index.add("short", np.zeros(PERM // 2, dtype=np.uint64))
    with pytest.raises(ValueError, match="affine32"):
        index.add("big", np.full(PERM, 2**40, dtype=np.uint64))
    with pytest.raises(ValueError, match="threshold"):
        DuplicateIndex(0.0, PERM)


def _brute_force(index: BandIndex, signatures: np.ndarray, values: np.ndarray) -> set[int]:
    used = index.bands * index.r
    bands = signatures[:, :used].reshape(len(signatures), index.bands, index.r)
    return set(np.flatnonzero((bands == values[:used].reshape(index.bands, index.r)).all(axis=2).any(axis=1)))


def test_band_index_finds_exactly_the_rows_that_share_a_band(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(dedup, "MERGE_EVERY", 7)  # some rows merged into the sorted arrays, some buffered
    rng = np.random.default_rng(3)
    index = BandIndex(6, 4)
    base = rng.integers(0, 2**32, size=(60, 24), dtype=np.uint64).astype(np.uint32)
    base[10:20, 4:8] = base[0, 4:8]  # rows 0 and 10-19 share band 1
    base[30, 20:24] = base[5, 20:24]  # rows 5 and 30 share band 5
    base[40] = base[41]  # an exact copy shares every band
    for row, values in enumerate(base):
        index.insert(row, values)
    assert index.nbytes() > 0  # merged at least once
    for values in base:
        assert index.query(values) == _brute_force(index, base, values)
    assert index.query(base[0]) >= {0, *range(10, 20)} and {5, 30} <= index.query(base[30])
    assert index.query(rng.integers(0, 2**32, size=24, dtype=np.uint64).astype(np.uint32)) == set()
    assert pickle.loads(pickle.dumps(index)).query(base[30]) == index.query(base[30])  # runners ship it
