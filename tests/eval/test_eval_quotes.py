from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from counterpoint.errors import EvalError
from counterpoint.eval.quotes import evaluate_quotes

# Measured on the held-out dev split (150 documents) with the rules tuned on train only; each floor is
# the measured figure minus 0.02. Direct span F1 (≥ 50 % token overlap) 0.888, direct speaker accuracy
# 0.796, overlap F1 over all types 0.699.
DEV_DIRECT_F1_FLOOR = 0.868
DEV_DIRECT_SPEAKER_ACCURACY_FLOOR = 0.776
DEV_OVERALL_OVERLAP_F1_FLOOR = 0.679

TEXT = "Putin sagte, die Lage sei ernst.\n„Wir kämpfen weiter“, sagte Lam.\nEs regnete."


def _part(text: str, *spans: tuple[int, int]) -> dict:
    return {
        "spans": [{"charBegin": s, "charEnd": e} for s, e in spans],
        "text": " ".join(text[s:e] for s, e in spans),
    }


def _annotation(kind: str, quote: tuple[int, int], speaker: tuple[int, int] | None,
                cue: tuple[int, int] | None) -> dict:
    return {
        "type": kind,
        "quote": _part(TEXT, quote),
        "speaker": _part(TEXT, speaker) if speaker else _part(TEXT),
        "cue": _part(TEXT, cue) if cue else _part(TEXT),
    }


RECORD = {
    "documentName": "doc",
    "originalText": TEXT,
    "sentences": [{"charBegin": 0, "charEnd": 32}, {"charBegin": 33, "charEnd": 65}, {"charBegin": 66, "charEnd": 77}],
    "annotations": [
        # found by ≥ 50 % token overlap but not exactly: the extractor includes "die"
        _annotation("Indirect", (17, 31), (0, 5), (6, 11)),
        # found exactly, but the gold speaker here is (deliberately) Putin, not Lam
        _annotation("Direct", (33, 53), (0, 5), (55, 60)),
        # not found: free indirect speech in the indicative
        _annotation("FreeIndirect", (66, 77), None, None),
    ],
}


def _write(path: Path, records: list[dict]) -> Path:
    with gzip.open(path, "wt", encoding="utf-8") as handle:
        for record in records:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def test_known_answer(tmp_path: Path) -> None:
    assert TEXT[17:31] == "Lage sei ernst" and TEXT[33:53] == "„Wir kämpfen weiter“" and TEXT[66:77] == "Es regnete."
    result = evaluate_quotes(_write(tmp_path / "tiny.jsonl.gz", [RECORD]))
    assert result["documents"] == 1
    overall = result["overall"]
    assert (overall["gold"], overall["predicted"]) == (3, 2)
    assert overall["exact"] == {"precision": 0.5, "recall": 0.3333, "f1": 0.4}
    assert overall["overlap"] == {"precision": 1.0, "recall": 0.6667, "f1": 0.8}
    assert overall["speaker"] == {"precision": 0.5, "recall": 0.5, "f1": 0.5, "accuracy": 0.5}
    assert overall["cue"] == {"precision": 1.0, "recall": 1.0, "f1": 1.0}
    direct, indirect = result["by_type"]["direct"], result["by_type"]["indirect"]
    assert direct["exact"]["f1"] == 1.0 and direct["speaker"]["accuracy"] == 0.0
    assert indirect["overlap"] == {"precision": 1.0, "recall": 0.5, "f1": 0.6667}
    assert indirect["exact"]["f1"] == 0.0
    assert result["dataset_types"]["FreeIndirect"] == {"gold": 1, "overlap_recall": 0.0}
    assert result["dataset_types"]["Direct"] == {"gold": 1, "overlap_recall": 1.0}


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(EvalError):
        evaluate_quotes(tmp_path / "missing.jsonl.gz")


def test_empty_file(tmp_path: Path) -> None:
    with pytest.raises(EvalError):
        evaluate_quotes(_write(tmp_path / "empty.jsonl.gz", []))


def test_dev_gate(shared: Path) -> None:
    path = shared / "data" / "quotes-de" / "dev.jsonl.gz"
    if not path.exists():
        pytest.skip("quotes-de dev split is missing")
    result = evaluate_quotes(path)
    assert result["documents"] == 150
    direct = result["by_type"]["direct"]
    assert direct["overlap"]["f1"] >= DEV_DIRECT_F1_FLOOR
    assert direct["speaker"]["accuracy"] >= DEV_DIRECT_SPEAKER_ACCURACY_FLOOR
    assert result["overall"]["overlap"]["f1"] >= DEV_OVERALL_OVERLAP_F1_FLOOR


def test_one_span_annotated_twice_is_one_quote(tmp_path: Path) -> None:
    # the data set annotates a relayed quotation once per source: who said it, and who reports it
    record = dict(RECORD, annotations=[
        _annotation("Direct", (33, 53), (0, 5), None),
        _annotation("Direct", (33, 53), (62, 65), (55, 60)),
    ])
    direct = evaluate_quotes(_write(tmp_path / "twice.jsonl.gz", [record]))["by_type"]["direct"]
    assert (direct["gold"], direct["predicted"]) == (1, 1)
    assert direct["overlap"]["f1"] == 1.0
    assert direct["speaker"]["accuracy"] == 1.0  # Lam is the second annotation's speaker
