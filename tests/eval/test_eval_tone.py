from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from counterpoint.errors import EvalError
from counterpoint.eval.tone import evaluate_tone, read_gerntsa, scores, split_of

# macro-F1 of the shipped tone model on the held-out quarter of GerNTSA (never trained or tuned on),
# measured at 0.4731 by scripts/train_tone.py; the floor is that minus 0.02
HELDOUT_MACRO_F1_FLOOR = 0.45


def _record(sentence: str, target: str, polarity: str, n: int = 0) -> dict:
    start = sentence.index(target)
    return {
        "id": f"id{n}",
        "opinion_snippet": sentence,
        "target": target,
        "target_anchor": {"from": start, "to": start + len(target)},
        "sentiment": {"polarity": polarity},
    }


def _write(path: Path, records: object, *, gzipped: bool = True) -> Path:
    text = json.dumps(records, ensure_ascii=False)
    if gzipped:
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(text)
    else:
        path.write_text(text, encoding="utf-8")
    return path


# the model labels these positive, negative, neutral, neutral; gold says positive, negative, neutral, positive
RECORDS = [
    _record("Der FC Bayern feierte einen großartigen Sieg und gewann den Titel.", "FC Bayern", "positive", 1),
    _record("Der Täter wurde nach dem brutalen Angriff festgenommen.", "Täter", "negative", 2),
    _record("Scholz reist am Montag nach Paris.", "Scholz", "neutral", 3),
    _record("Die Sitzung des Ausschusses beginnt um zehn Uhr im Rathaus.", "Ausschusses", "positive", 4),
]


@pytest.mark.parametrize("gzipped", [True, False])
def test_known_answer(tmp_path: Path, gzipped: bool) -> None:
    path = _write(tmp_path / "tiny.json.gz", RECORDS, gzipped=gzipped)
    result = evaluate_tone(path, split="all")
    assert result["items"] == 4
    assert result["split"] == "all"
    assert result["accuracy"] == 0.75
    assert result["per_class"]["positive"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667, "support": 2}
    assert result["per_class"]["negative"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0, "support": 1}
    assert result["per_class"]["neutral"] == {"precision": 0.5, "recall": 1.0, "f1": 0.6667, "support": 1}
    assert result["macro_f1"] == 0.7778


def test_splits_partition_the_items(tmp_path: Path) -> None:
    path = _write(tmp_path / "tiny.json.gz", RECORDS)
    held = [r for r in RECORDS if split_of(r["opinion_snippet"]) == 0]
    sizes = {}
    for split in ("heldout", "train"):
        try:
            sizes[split] = evaluate_tone(path, split=split)["items"]
        except EvalError:
            sizes[split] = 0
    assert sizes == {"heldout": len(held), "train": len(RECORDS) - len(held)}
    assert split_of("Ein  Satz.\n") == split_of("Ein Satz.")  # whitespace does not move a sentence


def test_reader(tmp_path: Path) -> None:
    items = read_gerntsa(_write(tmp_path / "tiny.json", RECORDS, gzipped=False))
    assert [it.label for it in items] == ["positive", "negative", "neutral", "positive"]
    assert items[0].sentence[items[0].start : items[0].end] == "FC Bayern"
    assert items[0].id == "id1"


def test_scores_without_predictions_of_a_class() -> None:
    result = scores(["neutral", "positive"], ["neutral", "neutral"])
    assert result["per_class"]["positive"] == {"precision": 0.0, "recall": 0.0, "f1": 0.0, "support": 1}
    assert result["accuracy"] == 0.5


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "no such file"),
        (b"\x1f\x8b\x08\x00broken", "cannot read"),
        (b"{not json", "not valid JSON"),
        (b'{"a": 1}', "expected a JSON list"),
        (b'[{"opinion_snippet": "x"}]', "item 1: not a GerNTSA item (missing 'target_anchor')"),
        (
            json.dumps([{**RECORDS[0], "target_anchor": {"from": 5, "to": 999}}]).encode(),
            "item 1: not a GerNTSA item (target offsets 5..999 outside the sentence)",
        ),
        (json.dumps([{**RECORDS[0], "sentiment": {"polarity": "mixed"}}]).encode(), "unknown polarity 'mixed'"),
        (b"[]", "no items"),
        (b"\xff\xfe\x00", "not UTF-8"),
    ],
)
def test_malformed_files_raise_one_line_eval_errors(tmp_path: Path, content: bytes | None, message: str) -> None:
    path = tmp_path / "bad.json"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(EvalError) as info:
        evaluate_tone(path, split="all")
    assert message in str(info.value)
    assert "\n" not in str(info.value)


def test_unknown_split(tmp_path: Path) -> None:
    with pytest.raises(EvalError, match="unknown split"):
        evaluate_tone(_write(tmp_path / "tiny.json.gz", RECORDS), split="dev")


def test_heldout_gate(shared: Path) -> None:
    result = evaluate_tone(shared / "data" / "gerntsa" / "dev.json.gz")
    assert result["split"] == "heldout"
    assert 600 < result["items"] < 700
    assert result["macro_f1"] >= HELDOUT_MACRO_F1_FLOOR, result
    assert all(result["per_class"][label]["f1"] > 0.3 for label in ("negative", "neutral", "positive")), result
