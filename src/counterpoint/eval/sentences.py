"""Evaluate the sentence splitter on the German quotation data set (quotes-de, Wikinews).

``read_quotes_documents(path)`` reads the data set (JSONL, a document a line, gzipped or not) and
yields one ``QuotesDocument`` per line; ``evaluate_sentences(path)`` runs ``split_sentences`` on each
document's ``originalText`` and compares its spans with the gold sentences (whitespace stripped):

- boundary: sentence end offsets, compared as sets per document;
- exact: ``(start, end)`` pairs, compared as sets per document.

Precision, recall and F1 are micro-averaged over all documents.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..analyze.sentences import split_sentences
from ..errors import EvalError
from .files import text_lines


@dataclass(frozen=True)
class QuotesDocument:
    """One annotated article: its text, gold sentence spans (stripped) and raw quote annotations."""

    name: str
    text: str
    sentences: tuple[tuple[int, int], ...]
    annotations: tuple[dict[str, Any], ...] = field(default=(), repr=False)


def _span(sentence: Any, text: str) -> tuple[int, int] | None:
    start, end = sentence["charBegin"], sentence["charEnd"]
    if not (isinstance(start, int) and isinstance(end, int) and 0 <= start <= end <= len(text)):
        raise ValueError(f"sentence offsets {start!r}..{end!r} outside the text")
    piece = text[start:end]
    stripped = piece.strip()
    if not stripped:
        return None
    lead = len(piece) - len(piece.lstrip())
    return start + lead, start + lead + len(stripped)


def read_quotes_documents(path: str | Path) -> Iterator[QuotesDocument]:
    """Yield the documents of a quotes-de JSONL file; ``EvalError`` when it is missing or malformed."""
    path = Path(path)
    for number, line in enumerate(text_lines(path, "JSONL"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            raise EvalError(f"line {number}: not valid JSON", source=str(path)) from None
        try:
            text = record["originalText"]
            if not isinstance(text, str):
                raise TypeError("originalText is not a string")
            spans = (_span(s, text) for s in record["sentences"])
            sentences = tuple(sorted(s for s in spans if s is not None))
            annotations = tuple(record.get("annotations") or ())
            name = str(record.get("documentName") or record.get("name") or number)
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            detail = f"missing {err}" if isinstance(err, KeyError) else str(err)
            raise EvalError(f"line {number}: not a quotes-de document ({detail})", source=str(path)) from None
        yield QuotesDocument(name=name, text=text, sentences=sentences, annotations=annotations)


def _scores(hits: int, predicted: int, gold: int) -> dict[str, float]:
    precision = hits / predicted if predicted else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def evaluate_sentences(path: str | Path, language: str = "de") -> dict[str, Any]:
    """Boundary and exact-span precision/recall/F1 of ``split_sentences`` against the gold sentences."""
    documents = n_gold = n_pred = n_gold_ends = n_pred_ends = 0
    boundary_hits = exact_hits = 0
    for doc in read_quotes_documents(path):
        documents += 1
        predicted = set(split_sentences(doc.text, language))
        gold = set(doc.sentences)
        n_gold += len(gold)
        n_pred += len(predicted)
        exact_hits += len(predicted & gold)
        predicted_ends = {end for _, end in predicted}
        gold_ends = {end for _, end in gold}
        n_pred_ends += len(predicted_ends)
        n_gold_ends += len(gold_ends)
        boundary_hits += len(predicted_ends & gold_ends)
    if not documents:
        raise EvalError("no documents", source=str(path))
    return {
        "documents": documents,
        "sentences": n_gold,
        "predicted": n_pred,
        "boundary": _scores(boundary_hits, n_pred_ends, n_gold_ends),
        "exact": _scores(exact_hits, n_pred, n_gold),
    }
