"""Evaluate the quotation extractor on the German quotation-attribution data set (quotes-de, Wikinews).

``evaluate_quotes(path)`` runs ``extract_quotes`` (with its own sentence splitter, no entities) on each
document's ``originalText`` and compares its quotes with the gold annotations.

Kinds: the data set's types map to counterpoint's kinds as Direct → direct; Indirect,
IndirectFreeIndirect, Reported and FreeIndirect → indirect. FreeIndirect (a sentence in the indicative
that continues someone's account without a cue of its own, "Er soll … haben") is reported content
attributed to a source, which is what counterpoint's indirect quotes are; counterpoint finds only the
Konjunktiv kind of such continuations, so its recall there is low (``dataset_types`` shows it).
A predicted ``mixed`` quote (reported speech with a quoted fragment) counts as an indirect quote with its
whole span, and each quoted fragment inside it (``quoted_fragments``: speech, not a name or a title) as a
direct quote, as the data set annotates it (a nested
Direct quote inside an Indirect one).

Spans: a gold quote of several pieces (reported speech around its frame) is compared by its hull, from
its first piece's start to its last piece's end. Figures:

- ``exact``: the spans are equal once whitespace and the punctuation ``. , ; :`` at either end are
  stripped;
- ``overlap``: the two spans share at least half of the word tokens of each of them;
- ``speaker``: over the quotes matched by overlap, a predicted speaker is right when its span overlaps
  any piece of the gold speaker span; ``f1`` counts the matched quotes with a predicted speaker
  (precision) and with a gold speaker (recall); ``accuracy`` is the share of matched quotes with a gold
  speaker whose speaker was found right;
- ``cue``: distinct cue spans per document; a predicted cue matches a gold cue when it overlaps any of
  its pieces.

The data set sometimes annotates one quotation twice, once for who said it and once for the medium that
reports it ("Ein Fernsehsender zitierte Papandreou mit den Worten: „…“": speakers Papandreou and "Ein
Fernsehsender"). Such annotations of one span are one quotation here (``merge_duplicates``): one gold quote
whose speaker is right when it overlaps either annotation's speaker; cues still count once each.

Matching is one to one (greedy, best overlap first). ``overall`` ignores kinds; ``by_type`` matches
within one kind; ``dataset_types`` gives the overlap recall of each of the data set's types.
"""

from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..analyze.quotemarks import quoted_fragments
from ..analyze.quotes import extract_quotes
from ..errors import EvalError
from ..model import Quote
from .sentences import QuotesDocument, read_quotes_documents

TYPE_TO_KIND = {
    "Direct": "direct",
    "Indirect": "indirect",
    "IndirectFreeIndirect": "indirect",
    "Reported": "indirect",
    "FreeIndirect": "indirect",
}
KINDS = ("direct", "indirect")
_WORD = re.compile(r"\w+")
_EDGE = " \t\n.,;:"


@dataclass(frozen=True)
class _Item:
    start: int
    end: int
    kind: str
    speaker: tuple[tuple[int, int], ...]
    cue: tuple[tuple[int, int], ...]
    type: str = ""


def _spans(part: Any) -> tuple[tuple[int, int], ...]:
    if not part:
        return ()
    return tuple((int(s["charBegin"]), int(s["charEnd"])) for s in part.get("spans") or ())


def gold_items(doc: QuotesDocument) -> list[_Item]:
    items = []
    for a in doc.annotations:
        kind = TYPE_TO_KIND.get(a.get("type", ""))
        spans = _spans(a.get("quote"))
        if kind is None or not spans:
            continue
        items.append(_Item(min(s for s, _ in spans), max(e for _, e in spans), kind, _spans(a.get("speaker")),
                           _spans(a.get("cue")), a.get("type", "")))
    return items


def merge_duplicates(items: Sequence[_Item]) -> list[_Item]:
    """One item per (span, kind): the speakers and cues of annotations of the same span are pooled."""
    merged: dict[tuple[int, int, str], _Item] = {}
    for item in items:
        key = (item.start, item.end, item.kind)
        first = merged.get(key)
        if first is None:
            merged[key] = item
        else:
            merged[key] = dataclasses.replace(first, speaker=first.speaker + item.speaker, cue=first.cue + item.cue)
    return list(merged.values())


def predicted_items(text: str, quotes: Sequence[Quote]) -> list[_Item]:
    items = []
    for q in quotes:
        speaker = ((q.speaker_start, q.speaker_end),) if q.speaker_start is not None and q.speaker_end else ()
        cue = ((q.cue_start, q.cue_end),) if q.cue_start is not None and q.cue_end is not None else ()
        if q.kind == "mixed":
            items.append(_Item(q.start, q.end, "indirect", speaker, cue))
            for start, end in quoted_fragments(text, q):
                items.append(_Item(start, end, "direct", speaker, cue))
        else:
            items.append(_Item(q.start, q.end, q.kind, speaker, cue))
    return items


def _strip(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and text[start] in _EDGE:
        start += 1
    while end > start and text[end - 1] in _EDGE:
        end -= 1
    return start, end


def _tokens(text: str, start: int, end: int) -> set[int]:
    return {m.start() for m in _WORD.finditer(text, start, end)}


def _overlaps(a: tuple[int, int], spans: Iterable[tuple[int, int]]) -> bool:
    return any(a[0] < e and s < a[1] for s, e in spans)


def _match(text: str, gold: Sequence[_Item], pred: Sequence[_Item], exact: bool) -> list[tuple[int, int]]:
    """One-to-one pairs (gold index, predicted index), greedy by token overlap."""
    candidates = []
    gold_tokens = [_tokens(text, g.start, g.end) for g in gold]
    pred_tokens = [_tokens(text, p.start, p.end) for p in pred]
    for gi, g in enumerate(gold):
        for pi, p in enumerate(pred):
            if p.end <= g.start or g.end <= p.start:
                continue
            if exact:
                if _strip(text, g.start, g.end) == _strip(text, p.start, p.end):
                    candidates.append((1.0, gi, pi))
                continue
            shared = len(gold_tokens[gi] & pred_tokens[pi])
            if not shared:
                continue
            score = min(shared / len(gold_tokens[gi]), shared / len(pred_tokens[pi]))
            if score >= 0.5:
                candidates.append((score, gi, pi))
    candidates.sort(key=lambda c: -c[0])
    used_g: set[int] = set()
    used_p: set[int] = set()
    pairs = []
    for _score, gi, pi in candidates:
        if gi in used_g or pi in used_p:
            continue
        used_g.add(gi)
        used_p.add(pi)
        pairs.append((gi, pi))
    return pairs


def _cues(items: Iterable[_Item]) -> list[tuple[tuple[int, int], ...]]:
    return list(dict.fromkeys(i.cue for i in items if i.cue))


def _cue_hits(gold: Sequence[tuple[tuple[int, int], ...]], pred: Sequence[tuple[tuple[int, int], ...]]) -> int:
    used: set[int] = set()
    hits = 0
    for p in pred:
        for gi, g in enumerate(gold):
            if gi not in used and _overlaps(p[0], g):
                used.add(gi)
                hits += 1
                break
    return hits


class _Counts:
    def __init__(self) -> None:
        self.c: dict[str, int] = defaultdict(int)

    def add(self, text: str, annotated: Sequence[_Item], pred: Sequence[_Item]) -> None:
        c = self.c
        gold = merge_duplicates(annotated)
        c["gold"] += len(gold)
        c["predicted"] += len(pred)
        c["exact"] += len(_match(text, gold, pred, exact=True))
        matched = _match(text, gold, pred, exact=False)
        c["overlap"] += len(matched)
        for gi, pi in matched:
            g, p = gold[gi], pred[pi]
            if p.speaker:
                c["speaker_predicted"] += 1
            if g.speaker:
                c["speaker_gold"] += 1
                if p.speaker and _overlaps(p.speaker[0], g.speaker):
                    c["speaker_hits"] += 1
        gold_cues, pred_cues = _cues(annotated), _cues(pred)
        c["cue_gold"] += len(gold_cues)
        c["cue_predicted"] += len(pred_cues)
        c["cue_hits"] += _cue_hits(gold_cues, pred_cues)

    def figures(self) -> dict[str, Any]:
        c = self.c
        return {
            "gold": c["gold"],
            "predicted": c["predicted"],
            "exact": _scores(c["exact"], c["predicted"], c["gold"]),
            "overlap": _scores(c["overlap"], c["predicted"], c["gold"]),
            "speaker": {
                **_scores(c["speaker_hits"], c["speaker_predicted"], c["speaker_gold"]),
                "accuracy": round(c["speaker_hits"] / c["speaker_gold"], 4) if c["speaker_gold"] else 0.0,
            },
            "cue": _scores(c["cue_hits"], c["cue_predicted"], c["cue_gold"]),
        }


def _scores(hits: int, predicted: int, gold: int) -> dict[str, float]:
    precision = hits / predicted if predicted else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def evaluate_quotes(path: str | Path, language: str = "de") -> dict[str, Any]:
    """Quote span, speaker and cue figures of ``extract_quotes`` against the gold annotations."""
    overall = _Counts()
    by_kind = {k: _Counts() for k in KINDS}
    type_gold: dict[str, int] = defaultdict(int)
    type_found: dict[str, int] = defaultdict(int)
    documents = 0
    for doc in read_quotes_documents(path):
        documents += 1
        quotes = extract_quotes(doc.text, None, (), language)
        gold = gold_items(doc)
        pred = predicted_items(doc.text, quotes)
        overall.add(doc.text, gold, pred)
        for kind in KINDS:
            by_kind[kind].add(doc.text, [g for g in gold if g.kind == kind], [p for p in pred if p.kind == kind])
        unique = merge_duplicates(gold)
        matched = {gi for gi, _ in _match(doc.text, unique, pred, exact=False)}
        for gi, g in enumerate(unique):
            type_gold[g.type] += 1
            type_found[g.type] += gi in matched
    if not documents:
        raise EvalError("no documents", source=str(path))
    return {
        "documents": documents,
        "overall": overall.figures(),
        "by_type": {k: v.figures() for k, v in by_kind.items()},
        "dataset_types": {
            t: {"gold": type_gold[t], "overlap_recall": round(type_found[t] / type_gold[t], 4)}
            for t in sorted(type_gold)
        },
    }
