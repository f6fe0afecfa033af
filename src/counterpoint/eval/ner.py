"""Evaluate the entity recogniser on GermEval 2014 NER (CoNLL-style strict spans).

``read_germeval(path)`` reads a GermEval TSV file (plain or gzipped: a ``#`` line with the source URL
before each sentence, then ``index  token  outer-tag  inner-tag`` lines, a blank line after each
sentence). ``evaluate_ner(path)`` runs the shipped component on each sentence (tokens joined with
spaces), maps its character spans back to tokens and scores exact span + type matches (CoNLL-style)
against the gold outer spans.

Labels: counterpoint reports PER, ORG, LOC and OTH. GermEval's ``*deriv`` ("russische") and ``*part``
("Vietnam-Besuch") spans are not names of an entity, so the recogniser does not report them and the
gold is mapped the same way: they count as no entity (``O``) on both sides.

Split: the shipped model is trained on part of ``dev.tsv`` and ``test-wikipedia.tsv``; a sentence is
held out when the SHA-1 of its source line (URL and date) falls in the held-out fifth (``split_of``),
so every sentence of one document is on the same side. ``evaluate_ner(path, split="heldout")`` scores
only those sentences: that is the figure to quote and the one CI gates on.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from ..errors import EvalError
from .files import text_lines

HELDOUT_BUCKETS = 5  # one bucket in five is held out
Split = Literal["all", "train", "heldout"]


@dataclass(frozen=True)
class GermEvalSentence:
    source: str  # the ``#`` line's source (URL and date), the key of the train/held-out split
    tokens: tuple[str, ...]
    tags: tuple[str, ...]  # outer BIO tags as in the file (12 classes)
    inner: tuple[str, ...] = ()


def split_of(source: str) -> Literal["train", "heldout"]:
    """Which side of the deterministic document split a GermEval source line falls on."""
    digest = hashlib.sha1(source.encode("utf-8")).hexdigest()
    return "heldout" if int(digest[:8], 16) % HELDOUT_BUCKETS == 0 else "train"


def _valid_tag(tag: str) -> bool:
    return tag == "O" or (tag[:2] in ("B-", "I-") and len(tag) > 2)


def read_germeval(path: str | Path, split: Split = "all") -> list[GermEvalSentence]:
    """The sentences of a GermEval 2014 TSV file; ``EvalError`` when it is missing or malformed."""
    path = Path(path)
    sentences: list[GermEvalSentence] = []
    source = ""
    tokens: list[str] = []
    tags: list[str] = []
    inner: list[str] = []

    def flush() -> None:
        if tokens:
            sentences.append(GermEvalSentence(source, tuple(tokens), tuple(tags), tuple(inner)))
        tokens.clear()
        tags.clear()
        inner.clear()

    for number, line in enumerate(text_lines(path, "TSV"), start=1):
        line = line.rstrip("\r\n")
        if not line.strip():
            flush()
            continue
        if line.startswith("#") and not tokens:
            parts = line.split("\t")
            source = "\t".join(p for p in parts[1:] if p).strip() or line[1:].strip()
            continue
        fields = line.split("\t")
        if len(fields) < 3 or not fields[1] or not _valid_tag(fields[2]):
            raise EvalError(f"line {number}: not a GermEval token line (index, token, outer tag, inner tag)",
                            source=str(path))
        tokens.append(fields[1])
        tags.append(fields[2])
        inner.append(fields[3] if len(fields) > 3 and _valid_tag(fields[3]) else "O")
    flush()
    if not sentences:
        raise EvalError("no sentences", source=str(path))
    if split != "all":
        sentences = [s for s in sentences if split_of(s.source) == split]
    return sentences


def map_tags(tags: tuple[str, ...] | list[str], labels: frozenset[str] | None = None) -> list[str]:
    """Map GermEval tags to counterpoint's: ``*deriv``/``*part`` (or any label not in ``labels``) -> O."""
    keep = labels if labels is not None else frozenset({"PER", "ORG", "LOC", "OTH"})
    out = []
    for tag in tags:
        out.append(tag if tag != "O" and tag[2:] in keep else "O")
    # an I- after a dropped span starts a new one
    for i, tag in enumerate(out):
        if tag.startswith("I-") and (i == 0 or out[i - 1][2:] != tag[2:]):
            out[i] = "B-" + tag[2:]
    return out


def _spans(tags: list[str]) -> set[tuple[int, int, str]]:
    from ..analyze.entities import bio_spans

    return set(bio_spans(tags))


def predict_sentence(tokens: tuple[str, ...] | list[str], language: str = "de", model: str = "crf") -> list[str]:
    """Run the shipped component on the tokens joined with spaces; its spans as BIO tags over the tokens."""
    from ..analyze.entities import EntityRecognizer
    from ..model import Analysis, Article, Sentence

    text = " ".join(tokens)
    starts, offset = [], 0
    for token in tokens:
        starts.append(offset)
        offset += len(token) + 1
    ends = [s + len(t) for s, t in zip(starts, tokens, strict=True)]
    article = Article(id="germeval", text=text, language=language)
    analysis = Analysis(article=article, language=language,
                        sentences=(Sentence(start=0, end=len(text), text=text, paragraph=0),))
    result = EntityRecognizer(model=model)(analysis)
    tags = ["O"] * len(tokens)
    for ent in result.entities:
        if ent.kind != "name":
            continue
        first = next((i for i, e in enumerate(ends) if e > ent.start), None)
        last = next((i for i in range(len(tokens) - 1, -1, -1) if starts[i] < ent.end), None)
        if first is None or last is None or last < first or any(t != "O" for t in tags[first : last + 1]):
            continue
        tags[first] = "B-" + ent.label
        for i in range(first + 1, last + 1):
            tags[i] = "I-" + ent.label
    return tags


def _scores(hits: int, predicted: int, gold: int) -> dict[str, float | int]:
    precision = hits / predicted if predicted else 0.0
    recall = hits / gold if gold else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4), "support": gold}


def score(gold: list[list[str]], predicted: list[list[str]]) -> dict[str, Any]:
    """Strict span precision/recall/F1 (exact span and type), overall and per type, micro-averaged."""
    hits: Counter[str] = Counter()
    n_gold: Counter[str] = Counter()
    n_pred: Counter[str] = Counter()
    for g_tags, p_tags in zip(gold, predicted, strict=True):
        g, p = _spans(g_tags), _spans(p_tags)
        for span in g:
            n_gold[span[2]] += 1
        for span in p:
            n_pred[span[2]] += 1
        for span in g & p:
            hits[span[2]] += 1
    labels = sorted(set(n_gold) | set(n_pred))
    return {
        "overall": _scores(sum(hits.values()), sum(n_pred.values()), sum(n_gold.values())),
        "per_type": {label: _scores(hits[label], n_pred[label], n_gold[label]) for label in labels},
        "sentences": len(gold),
    }


def evaluate_ner(
    path: str | Path | Sequence[str | Path], split: Split = "heldout", language: str = "de", model: str = "crf"
) -> dict[str, Any]:
    """Strict span P/R/F1 of the shipped recogniser on GermEval file(s) (by default their held-out part)."""
    paths = [path] if isinstance(path, (str, Path)) else list(path)
    sentences = [s for p in paths for s in read_germeval(p, split=split)]
    if not sentences:
        raise EvalError(f"no sentences in the {split} part", source=", ".join(map(str, paths)))
    gold = [map_tags(s.tags) for s in sentences]
    predicted = [predict_sentence(s.tokens, language, model) for s in sentences]
    result = score(gold, predicted)
    result["model"] = model
    result["split"] = split
    result["files"] = [str(p) for p in paths]
    return result
