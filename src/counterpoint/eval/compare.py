"""Precision and recall of each finding type on hand-annotated invented stories.

A story is ``<id>.jsonl`` (article records) with ``<id>.expected.json`` beside it (see
tests/data/stories/README.md). Annotations point at passages by exact substrings of the article text;
a finding matches an annotation when its spans overlap the annotated passages in the same articles.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import Any

from ..errors import EvalError
from ..model import Comparison

Span = tuple[str, int, int]  # (article id, start, end)


def _overlaps(a: Span, b: Span) -> bool:
    return a[0] == b[0] and a[1] < b[2] and b[1] < a[2]


def _prf(tp: int, fp: int, fn: int) -> dict[str, float | int]:
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 1.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"precision": round(p, 3), "recall": round(r, 3), "f1": round(f, 3), "tp": tp, "fp": fp, "fn": fn}


class _Story:
    def __init__(self, expected: dict[str, Any], result: Comparison) -> None:
        self.expected = expected
        self.result = result
        self.texts = {a.id: a.text for a in result.articles}

    def span(self, article: str, text: str) -> Span:
        body = self.texts.get(article)
        if body is None:
            raise EvalError(f"story {self.expected.get('story')}: no article {article!r}")
        i = body.find(text)
        if i < 0:
            raise EvalError(
                f"story {self.expected.get('story')}: {text[:50]!r} is not in the cleaned text of {article}"
            )
        return (article, i, i + len(text))


def _pairs_score(expected: list[tuple[Span, Span]], predicted: list[tuple[Span, Span]]) -> tuple[int, int, int]:
    def match(p: tuple[Span, Span], e: tuple[Span, Span]) -> bool:
        return (_overlaps(p[0], e[0]) and _overlaps(p[1], e[1])) or (_overlaps(p[0], e[1]) and _overlaps(p[1], e[0]))

    tp = sum(1 for e in expected if any(match(p, e) for p in predicted))
    fp = sum(1 for p in predicted if not any(match(p, e) for e in expected))
    return tp, fp, len(expected) - tp


def score_story(expected: dict[str, Any], result: Comparison) -> dict[str, tuple[int, int, int]]:
    s = _Story(expected, result)
    counts: dict[str, tuple[int, int, int]] = {}

    # shared facts, as pairs of articles that report the same fact
    exp_pairs = []
    for fact in expected.get("shared_facts", []):
        items = list(fact["mentions"].items())
        exp_pairs += [
            (s.span(*items[i]), s.span(*items[j])) for i in range(len(items)) for j in range(i + 1, len(items))
        ]
    pred_pairs = [
        ((m.article, m.start, m.end), (n.article, n.start, n.end))
        for st in result.shared
        for i, m in enumerate(st.mentions)
        for n in st.mentions[i + 1 :]
        if m.article != n.article
    ]
    counts["shared_facts"] = _pairs_score(exp_pairs, pred_pairs)

    # omissions: (expected fact, article that misses it)
    fact_spans = {f["id"]: [s.span(a, t) for a, t in f["mentions"].items()] for f in expected.get("shared_facts", [])}
    exp_om = {(o["fact"], art) for o in expected.get("omissions", []) for art in o["missing_in"]}
    pred_om = set()
    for aid, fids in result.omissions.items():
        for fid in fids:
            fact = next(f for f in result.facts if f.id == fid)
            spans = [(m.article, m.start, m.end) for m in fact.mentions]
            hit = next(
                (efid for efid, es in fact_spans.items() if any(_overlaps(p, e) for p in spans for e in es)), None
            )
            pred_om.add((hit or f"?{fid}", aid))
    tp = len(exp_om & pred_om)
    counts["omissions"] = (tp, len(pred_om - exp_om), len(exp_om - pred_om))

    # contradictions
    exp_c = [
        (s.span(c["a"]["article"], c["a"]["text"]), s.span(c["b"]["article"], c["b"]["text"]))
        for c in expected.get("conflicts", [])
    ]
    pred_c = [((c.a.article, c.a.start, c.a.end), (c.b.article, c.b.start, c.b.end)) for c in result.conflicts]
    tp, fp, fn = _pairs_score(exp_c, pred_c)
    counts["conflicts"] = (tp, fp, fn)

    # matched quotations, as pairs
    exp_q = []
    for q in expected.get("quote_matches", []):
        items = list(q["mentions"].items())
        exp_q += [(s.span(*items[i]), s.span(*items[j])) for i in range(len(items)) for j in range(i + 1, len(items))]
    pred_q = [
        ((m.article, m.start, m.end), (n.article, n.start, n.end))
        for qm in result.quote_matches
        for i, m in enumerate(qm.mentions)
        for n in qm.mentions[i + 1 :]
    ]
    counts["quote_matches"] = _pairs_score(exp_q, pred_q)

    # speakers per article, by name (any shared name token of 3+ letters)
    def same_person(a: str, b: str) -> bool:
        ta = {w.lower() for w in a.replace("-", " ").split() if len(w) > 2}
        tb = {w.lower() for w in b.replace("-", " ").split() if len(w) > 2}
        return bool(ta & tb)

    tp = fp = fn = 0
    role_hits = role_total = 0
    for aid, speakers in expected.get("speakers", {}).items():
        predicted = next((v.voices for v in result.voices if v.article == aid), ())
        for sp in speakers:
            found = next((v for v in predicted if same_person(v.speaker, sp["name"])), None)
            if found:
                tp += 1
                role_total += 1
                role_hits += int(found.role == sp.get("role"))
            else:
                fn += 1
        fp += sum(1 for v in predicted if not any(same_person(v.speaker, sp["name"]) for sp in speakers))
    counts["speakers"] = (tp, fp, fn)
    counts["speaker_roles"] = (role_hits, role_total - role_hits, 0)

    # labels: the annotated words of one referent in two articles, found as a label pair
    exp_l = []
    for lab in expected.get("labels", []):
        items = list(lab["labels"].items())
        exp_l += [(s.span(*items[i]), s.span(*items[j])) for i in range(len(items)) for j in range(i + 1, len(items))]
    pred_l = [
        ((lp["a"]["article"], lp["a"]["start"], lp["a"]["end"]), (lp["b"]["article"], lp["b"]["start"], lp["b"]["end"]))
        for lp in result.framing.get("labels", [])
    ]
    counts["labels"] = _pairs_score(exp_l, pred_l)

    # hedges and loaded words
    tp = fp = fn = 0
    for aid, words in expected.get("hedges", {}).items():
        hits = {h["text"].lower() for h in result.framing.get("markers", {}).get(aid, {}).get("hits", [])}
        want = {w.lower() for w in words}
        tp += len(want & hits)
        fn += len(want - hits)
    counts["hedges"] = (tp, fp, fn)  # recall only: unannotated markers are not wrong

    # unique facts: the annotated passage lies in a statement only its article makes
    tp = fn = 0
    for u in expected.get("unique_facts", []):
        sp = s.span(u["article"], u["text"])
        if any(_overlaps((m.article, m.start, m.end), sp) for st in result.unique for m in st.mentions):
            tp += 1
        else:
            fn += 1
    counts["unique_facts"] = (tp, 0, fn)
    return counts


def story_files(path: Path) -> list[tuple[Path, Path]]:
    if not path.is_dir():
        raise EvalError(f"{path}: not a folder of stories (<id>.jsonl with <id>.expected.json)")
    pairs = [(p, p.with_name(p.name[: -len(".jsonl")] + ".expected.json")) for p in sorted(path.glob("*.jsonl"))]
    pairs = [(a, e) for a, e in pairs if e.exists()]
    if not pairs:
        raise EvalError(f"{path}: no <id>.jsonl with an <id>.expected.json beside it")
    return pairs


def evaluate_compare(path: str | Path, run: Callable[[str], Comparison]) -> dict[str, Any]:
    """Score every story in ``path``; ``run`` compares one JSONL file (the CLI passes ``api.compare``)."""
    totals: dict[str, list[int]] = {}
    per_story: dict[str, Any] = {}
    for articles, expected_path in story_files(Path(path)):
        try:
            expected = json.loads(expected_path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise EvalError(f"{expected_path}: cannot read annotations ({exc})") from None
        counts = score_story(expected, run(str(articles)))
        per_story[expected.get("story", articles.stem)] = {k: _prf(*v) for k, v in counts.items()}
        for k, v in counts.items():
            acc = totals.setdefault(k, [0, 0, 0])
            for i in range(3):
                acc[i] += v[i]
    return {"stories": len(per_story), "overall": {k: _prf(*v) for k, v in totals.items()}, "per_story": per_story}
