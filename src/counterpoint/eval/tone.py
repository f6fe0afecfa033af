"""Evaluate the tone model on GerNTSA (German news sentences, a target each, its polarity; CC BY 4.0).

``read_gerntsa(path)`` reads the data set (a JSON list, gzipped or not) into ``ToneItem`` values;
``evaluate_tone(path, split)`` runs ``counterpoint.analyze.tone.tone`` on each item (as German) and
reports accuracy, macro-F1 and per-class precision, recall and F1.

GerNTSA has one file only, so the split is ours and fixed: an item is held out when the SHA-1 of its
whitespace-normalised sentence falls in the lowest quarter (``split_of(sentence) == 0``), which puts
every copy of a repeated sentence on the same side. The model is trained on the rest; the held-out
figure is the honest one. Print it with ``python -m counterpoint.eval.tone [path] [--split ...]``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analyze.tone import LABELS, tone
from ..errors import EvalError
from .files import read_text

SPLITS = ("heldout", "train", "all")


@dataclass(frozen=True)
class ToneItem:
    """One annotated target: its sentence, the target's character span, the gold label."""

    id: str
    sentence: str
    start: int
    end: int
    target: str
    label: str


def split_of(sentence: str, buckets: int = 4) -> int:
    """Deterministic bucket of a sentence (0 = held out when ``buckets`` is 4)."""
    key = " ".join(sentence.split()).encode("utf-8")
    return int(hashlib.sha1(key).hexdigest()[:8], 16) % buckets


def _load(path: Path) -> Any:
    try:
        return json.loads(read_text(path, "JSON"))
    except json.JSONDecodeError:
        raise EvalError("not valid JSON", source=str(path)) from None


def _item(record: Any) -> ToneItem:
    sentence = record["opinion_snippet"]
    anchor = record["target_anchor"]
    start, end = anchor["from"], anchor["to"]
    label = record["sentiment"]["polarity"]
    if not isinstance(sentence, str):
        raise TypeError("opinion_snippet is not a string")
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(sentence)):
        raise ValueError(f"target offsets {start!r}..{end!r} outside the sentence")
    if label not in LABELS:
        raise ValueError(f"unknown polarity {label!r}")
    target = record.get("target")
    return ToneItem(str(record.get("id", "")), sentence, start, end, str(target or sentence[start:end]), label)


def read_gerntsa(path: str | Path) -> list[ToneItem]:
    """The items of a GerNTSA JSON file; ``EvalError`` when it is missing or malformed."""
    path = Path(path)
    records = _load(path)
    if not isinstance(records, list):
        raise EvalError("not a GerNTSA file (expected a JSON list of items)", source=str(path))
    items = []
    for number, record in enumerate(records, start=1):
        try:
            items.append(_item(record))
        except (KeyError, TypeError, ValueError) as err:
            detail = f"missing {err}" if isinstance(err, KeyError) else str(err)
            raise EvalError(f"item {number}: not a GerNTSA item ({detail})", source=str(path)) from None
    return items


def scores(gold: Sequence[str], predicted: Sequence[str]) -> dict[str, Any]:
    """Accuracy, macro-F1 over ``LABELS`` and per-class precision, recall, F1 and support."""
    per_class: dict[str, dict[str, float | int]] = {}
    for label in LABELS:
        hits = sum(g == p == label for g, p in zip(gold, predicted, strict=True))
        n_pred = sum(p == label for p in predicted)
        n_gold = sum(g == label for g in gold)
        precision = hits / n_pred if n_pred else 0.0
        recall = hits / n_gold if n_gold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        per_class[label] = {
            "precision": round(precision, 4),
            "recall": round(recall, 4),
            "f1": round(f1, 4),
            "support": n_gold,
        }
    correct = sum(g == p for g, p in zip(gold, predicted, strict=True))
    return {
        "macro_f1": round(sum(float(c["f1"]) for c in per_class.values()) / len(LABELS), 4),
        "accuracy": round(correct / len(gold), 4) if gold else 0.0,
        "per_class": per_class,
    }


def evaluate_tone(path: str | Path, split: str = "heldout") -> dict[str, Any]:
    """Scores of the shipped tone model on ``split`` (``heldout``: what it was not trained on)."""
    if split not in SPLITS:
        raise EvalError(f"unknown split {split!r} (one of {', '.join(SPLITS)})")
    items = read_gerntsa(path)
    if split != "all":
        items = [it for it in items if (split_of(it.sentence) == 0) == (split == "heldout")]
    if not items:
        raise EvalError(f"no items in split {split}", source=str(path))
    predicted = [tone(it.sentence, it.start, it.end, "de")[0] for it in items]
    return {"items": len(items), "split": split, **scores([it.label for it in items], predicted)}


def main(argv: Sequence[str] | None = None) -> int:
    import argparse

    parser = argparse.ArgumentParser(prog="python -m counterpoint.eval.tone", description=__doc__.splitlines()[0])
    parser.add_argument("path", nargs="?", default="../shared/data/gerntsa/dev.json.gz")
    parser.add_argument("--split", choices=SPLITS, default="heldout")
    args = parser.parse_args(argv)
    try:
        figures = evaluate_tone(args.path, args.split)
    except EvalError as err:
        print(f"error: {err}", file=sys.stderr)
        return err.exit_code
    print(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
