from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from counterpoint.errors import EvalError
from counterpoint.eval.sentences import evaluate_sentences, read_quotes_documents

# boundary F1 of sentences.rules.v1 on the held-out dev split, measured at 0.9697 (the rules were tuned
# on train only, where it is 0.9632); the floor leaves a small margin for deliberate rule changes
DEV_BOUNDARY_F1_FLOOR = 0.96


def _record(text: str, spans: list[tuple[int, int]]) -> dict:
    return {
        "documentName": "doc",
        "originalText": text,
        "sentences": [{"charBegin": s, "charEnd": e, "text": text[s:e]} for s, e in spans],
        "annotations": [],
    }


def _write(path: Path, records: list[dict], *, gzipped: bool = True) -> Path:
    lines = "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in records)
    if gzipped:
        with gzip.open(path, "wt", encoding="utf-8") as handle:
            handle.write(lines)
    else:
        path.write_text(lines, encoding="utf-8")
    return path


# doc 1 is split as the gold says (its gold spans carry trailing whitespace, which is stripped);
# doc 2's gold splits at the colon, the splitter does not: predicted ends {7, 26}, gold ends {7, 17, 26}
RECORDS = [
    _record("Er kam. Sie ging. ", [(0, 8), (8, 18)]),
    _record("Er kam. Sie ging: Er lief.", [(0, 8), (8, 17), (18, 26)]),
]


@pytest.mark.parametrize("gzipped", [True, False])
def test_known_answer(tmp_path: Path, gzipped: bool) -> None:
    path = _write(tmp_path / "tiny.jsonl.gz", RECORDS, gzipped=gzipped)
    result = evaluate_sentences(path)
    assert result["documents"] == 2
    assert result["sentences"] == 5
    assert result["predicted"] == 4
    assert result["boundary"] == {"precision": 1.0, "recall": 0.8, "f1": 0.8889}
    assert result["exact"] == {"precision": 0.75, "recall": 0.6, "f1": 0.6667}


def test_reader_strips_gold_spans(tmp_path: Path) -> None:
    path = _write(tmp_path / "tiny.jsonl.gz", RECORDS)
    docs = list(read_quotes_documents(str(path)))
    assert docs[0].sentences == ((0, 7), (8, 17))
    assert docs[0].name == "doc"
    assert docs[1].text[slice(*docs[1].sentences[1])] == "Sie ging:"


def _malformed(tmp_path: Path) -> list[tuple[Path, str]]:
    (tmp_path / "cut.jsonl.gz").write_bytes(gzip.compress(b'{"originalText": "x"}\n' * 100)[:30])
    (tmp_path / "garbage.jsonl.gz").write_bytes(b"\x1f\x8b" + b"not really gzip" * 10)
    (tmp_path / "latin1.jsonl").write_bytes('{"originalText": "Gr\xfc\xdfe"}\n'.encode("latin-1"))
    (tmp_path / "empty.jsonl").write_text("\n", encoding="utf-8")
    (tmp_path / "folder").mkdir()
    return [
        (tmp_path / "missing.jsonl.gz", "no such file"),
        (tmp_path / "folder", "directory"),
        (tmp_path / "cut.jsonl.gz", "cannot read"),
        (tmp_path / "garbage.jsonl.gz", "cannot read"),
        (tmp_path / "latin1.jsonl", "UTF-8"),
        (tmp_path / "empty.jsonl", "no documents"),
        (_write(tmp_path / "json.jsonl", [], gzipped=False), "no documents"),
    ]


def test_unreadable_files_raise_one_line_eval_errors(tmp_path: Path) -> None:
    bad_json = tmp_path / "bad.jsonl"
    bad_json.write_text('{"originalText": "x", "sentences": []}\n{oops\n', encoding="utf-8")
    no_key = _write(tmp_path / "nokey.jsonl.gz", [{"originalText": "x"}])
    bad_offsets = _write(tmp_path / "offsets.jsonl.gz", [_record("kurz", [(0, 99)])])
    bad_type = _write(tmp_path / "type.jsonl.gz", [{"originalText": 5, "sentences": []}])
    cases = [
        *_malformed(tmp_path),
        (bad_json, "line 2: not valid JSON"),
        (no_key, "line 1: not a quotes-de document (missing 'sentences')"),
        (bad_offsets, "line 1: not a quotes-de document (sentence offsets 0..99 outside the text)"),
        (bad_type, "line 1: not a quotes-de document (originalText is not a string)"),
    ]
    for path, message in cases:
        with pytest.raises(EvalError) as caught:
            evaluate_sentences(path)
        text = str(caught.value)
        assert message in text, text
        assert str(path) in text
        assert "\n" not in text and "Traceback" not in text


def test_dev_split_boundary_f1_floor(shared: Path) -> None:
    dev = shared / "data" / "quotes-de" / "dev.jsonl.gz"
    if not dev.is_file():
        pytest.skip("quotes-de dev split is not in ../shared")
    result = evaluate_sentences(dev)
    assert result["documents"] == 150
    assert result["boundary"]["f1"] >= DEV_BOUNDARY_F1_FLOOR, result
