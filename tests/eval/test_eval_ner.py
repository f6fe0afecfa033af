from __future__ import annotations

import gzip
from pathlib import Path

import pytest

from counterpoint.errors import EvalError
from counterpoint.eval.ner import evaluate_ner, map_tags, read_germeval, score, split_of

# overall strict-span F1 on the held-out GermEval part, measured with the shipped model (scripts/train_ner.py)
HELDOUT_F1 = 0.636
HELDOUT_F1_E5 = 0.815  # the same for the fine-tuned multilingual-e5-small tagger (scripts/finetune_ner.py)
TOLERANCE = 0.02

TINY = """#\thttp://example.org/a\t[2024-06-20]
1\tAngela\tB-PER\tO
2\tMerkel\tI-PER\tO
3\tbesuchte\tO\tO
4\tParis\tB-LOC\tO
5\t.\tO\tO

#\thttp://example.org/b\t[2024-06-20]
1\tDie\tO\tO
2\tdeutsche\tB-LOCderiv\tO
3\tRegierung\tO\tO
4\tund\tO\tO
5\tdie\tO\tO
6\tSiemens\tB-ORG\tO
7\tAG\tI-ORG\tO
8\tstreiten\tO\tO
9\t.\tO\tO
"""


def write(tmp_path: Path, text: str, name: str = "tiny.tsv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_read_germeval_plain_and_gzipped(tmp_path: Path) -> None:
    plain = read_germeval(write(tmp_path, TINY))
    packed = tmp_path / "tiny.tsv.gz"
    packed.write_bytes(gzip.compress(TINY.encode("utf-8")))
    assert read_germeval(packed) == plain
    assert [s.tokens[:2] for s in plain] == [("Angela", "Merkel"), ("Die", "deutsche")]
    assert plain[0].source == "http://example.org/a\t[2024-06-20]"
    assert plain[1].tags[1] == "B-LOCderiv"


def test_deriv_and_part_count_as_no_entity() -> None:
    assert map_tags(("B-LOCderiv", "O", "B-ORGpart", "B-PER", "I-PER")) == ["O", "O", "O", "B-PER", "I-PER"]
    assert map_tags(("B-PERpart", "I-PER")) == ["O", "B-PER"]


def test_score_known_answer() -> None:
    gold = [["B-PER", "I-PER", "O", "B-LOC"], ["B-ORG", "I-ORG", "O"]]
    pred = [["B-PER", "I-PER", "O", "B-ORG"], ["B-ORG", "O", "O"]]
    result = score(gold, pred)
    # gold: PER, LOC, ORG(2 tokens); predicted: PER (hit), ORG (wrong type), ORG (wrong span)
    assert result["overall"] == {"precision": 0.3333, "recall": 0.3333, "f1": 0.3333, "support": 3}
    assert result["per_type"]["PER"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert result["per_type"]["LOC"]["recall"] == 0.0
    assert result["per_type"]["ORG"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert result["sentences"] == 2


def test_evaluate_ner_known_answer(tmp_path: Path) -> None:
    result = evaluate_ner(write(tmp_path, TINY), split="all")
    assert result["sentences"] == 2
    assert result["overall"]["support"] == 3  # "deutsche" (LOCderiv) is not counted
    assert result["per_type"]["PER"]["f1"] == 1.0
    assert result["per_type"]["LOC"]["f1"] == 1.0
    assert set(result["overall"]) == {"precision", "recall", "f1", "support"}


def test_split_is_by_document_and_deterministic() -> None:
    assert split_of("http://de.wikipedia.org/wiki/Toyota_Crown\t[2009-08-13]") == split_of(
        "http://de.wikipedia.org/wiki/Toyota_Crown\t[2009-08-13]")
    sides = {split_of(f"http://example.org/{i}") for i in range(50)}
    assert sides == {"train", "heldout"}


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("1\tWort\n", "not a GermEval token line"),
        ("1\tWort\tX-PER\tO\n", "not a GermEval token line"),
        ("", "no sentences"),
    ],
)
def test_malformed_files(tmp_path: Path, content: str, message: str) -> None:
    with pytest.raises(EvalError, match=message) as info:
        read_germeval(write(tmp_path, content))
    assert "\n" not in str(info.value)


def test_missing_and_broken_files(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="no such file"):
        read_germeval(tmp_path / "missing.tsv")
    broken = tmp_path / "broken.tsv.gz"
    broken.write_bytes(b"\x1f\x8b" + b"not gzip at all")
    with pytest.raises(EvalError, match="cannot read"):
        read_germeval(broken)
    with pytest.raises(EvalError, match="directory"):
        read_germeval(tmp_path)


@pytest.fixture()
def germeval(shared: Path) -> list[Path]:
    data = shared / "data" / "germeval2014-ner"
    files = [data / "dev.tsv.gz", data / "test-wikipedia.tsv.gz"]
    if not all(f.is_file() for f in files):
        pytest.skip("GermEval 2014 data is not in ../shared")
    return files


def test_gate_heldout_f1(germeval: list[Path]) -> None:
    """CI gate: strict span F1 on the HELD-OUT documents (never trained on) stays at the measured level."""
    result = evaluate_ner(germeval, split="heldout")
    assert result["sentences"] > 800
    assert result["overall"]["f1"] >= HELDOUT_F1 - TOLERANCE, result["overall"]


def test_gate_heldout_f1_e5(germeval: list[Path]) -> None:
    """CI gate for the optional fine-tuned e5 recogniser, on the same held-out documents."""
    result = evaluate_ner(germeval, split="heldout", model="e5")
    assert result["model"] == "e5"
    assert result["overall"]["f1"] >= HELDOUT_F1_E5 - TOLERANCE, result["overall"]
