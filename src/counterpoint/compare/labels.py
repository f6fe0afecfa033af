"""Same referent, different label: the words each outlet uses for one thing or actor.

Two routes, each pointing at the exact words in both articles:

- **Descriptors of a shared name.** A name that several articles of the story use (an entity the
  recogniser found, cut to the part that two articles share: "Baltic Harbour Capital") is the anchor. A
  common noun set right before it ("der Finanzinvestor Baltic Harbour Capital", "die Heuschrecke Baltic
  Harbour Capital", "the operator Elbtal-Bahn") labels the named thing itself, so two articles that put
  different nouns there label one referent differently. A noun joined to the name by a preposition or a
  genitive ("die Regierung in Dorvik", "das Regime in Dorvik", "des Einmarsches in der Ukraine", "die
  Invasion der Ukraine") names something of the anchor, not the anchor; two such nouns are taken for one
  referent only when the embedder puts them close (``min_similarity``): "Besuch in Dorvik" and "Regime in
  Dorvik" are two things. Nouns are told by HanTa's part-of-speech tags (German and English models
  bundled in the package); nouns that one article also uses for the same anchor, one noun inside the
  other ("Zug" / "Regionalzug") and plain translations ("government" / "Regierung", by the embedder) are
  not label differences.
- **Wording of one shared statement.** Where two same-language articles carry the same statement, a
  single content word replaced by another ("Plattform" / "Podium", "Gräueltaten" / "Verbrechen").
"""

from __future__ import annotations

import bisect
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from ..analyze.entities import ROLE_WORDS, fold
from ..analyze.postags import tags, word_tag
from ..model import Analysis
from .framing import STOPWORDS
from .wording import word_diff

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_TOKEN = re.compile(r"\w+(?:[-‐‑]\w+)*|[^\w\s]")
_NAME_WORD = re.compile(r"\w+(?:[-‐‑'’]\w+)*")
_CONTEXT = 4  # tokens tagged before a name
# what may stand between a noun and the name it is attached to ("Regierung in Dorvik", "Invasion der Ukraine")
_LINK_PREPOSITIONS = frozenset("in im aus von vom bei of from at".split())
_DETERMINERS = frozenset("der die das dem den des the".split())
_GENITIVE = frozenset("der des".split())
# tags of common nouns: HanTa's German STTS and English CLAWS tag sets
_NOUN_TAGS = {"de": frozenset({"NN"}), "en": frozenset({"NN0", "NN1", "NN2"})}
# two labels in two languages this close are the same word translated: translations of the story's role and
# institution nouns measure 0.51-0.92 with USE (Ministerpräsidentin / Prime Minister 0.51, Bürgermeisterin /
# mayor 0.72, Regierung / government 0.91), labels that differ 0.18-0.44 (Heuschrecke / investor, Regime /
# government)
_TRANSLATION_SIMILARITY = 0.5
# two nouns joined to one name by a preposition name one referent from this USE cosine up: the 90th
# percentile of random noun pairs of the seeds is 0.37
MIN_SIMILARITY = 0.37


Words = tuple[str, int, int, str]  # (article, start, end, the words)


@dataclass(frozen=True)
class LabelPair:
    """Two articles' words for one referent."""

    id: str
    referent: str | None  # the shared name the labels are attached to (descriptor pairs)
    statement: str | None  # id of the shared statement, for pairs found in one statement's wording
    a: Words
    b: Words


@dataclass(frozen=True)
class _Descriptor:
    article: str
    start: int
    end: int
    text: str
    lemma: str
    kind: str  # "apposition" (labels the name itself) or "attribute" (something of the name's)


class _Occurrences:
    """Where each run of up to ``MAX_WORDS`` words that starts with a capital stands in a text: one pass
    over the text, then a dictionary lookup per name (a long article with thousands of names stays fast)."""

    MAX_WORDS = 4

    def __init__(self, text: str) -> None:
        tokens = [(m.start(), m.end(), m.group()) for m in _NAME_WORD.finditer(text)]
        self.spans: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for i, (start, _, word) in enumerate(tokens):
            if not word[:1].isupper():
                continue
            for n in range(1, self.MAX_WORDS + 1):
                if i + n > len(tokens):
                    break
                key = " ".join(t[2] for t in tokens[i : i + n])
                self.spans[key].append((start, tokens[i + n - 1][1]))

    def find(self, name: str) -> list[tuple[int, int]]:
        return self.spans.get(" ".join(_NAME_WORD.findall(name)), [])


def anchors(analyses: Sequence[Analysis], found_in: Sequence[_Occurrences] | None = None) -> list[str]:
    """Names of the story's entities, each cut to its longest ending that at least two articles contain."""
    found_in = found_in or [_Occurrences(a.article.text) for a in analyses]
    names = {(a.language, e.text) for a in analyses if a.language in _NOUN_TAGS for e in a.entities if e.kind == "name"}
    found: set[str] = set()
    for language, text in sorted(names, key=str):
        words = text.split()
        # a common noun the recogniser took into the name ("Heuschrecke Baltic Harbour Capital") is not part of it
        first = next((i for i, w in enumerate(words) if word_tag(w, language) not in _NOUN_TAGS[language]), len(words))
        for i in range(first, len(words)):
            name = " ".join(words[i:])
            if len(name) >= 3 and name[0].isupper() and sum(1 for o in found_in if o.find(name)) >= 2:
                found.add(name)
                break
    # the longest first: a name inside a longer one ("Putin" in "Wladimir Putin") is searched as part of it
    return sorted(found, key=lambda n: (-len(n), n))


def descriptors(analysis: Analysis, names: Sequence[str], occurrences: _Occurrences | None = None
                ) -> dict[str, list[_Descriptor]]:
    """Per anchor, the nouns this article attaches to it."""
    language = analysis.language
    if language not in _NOUN_TAGS:
        return {}
    text = analysis.article.text
    occurrences = occurrences or _Occurrences(text)
    nouns = _NOUN_TAGS[language]
    taken: set[int] = set()  # characters inside a name already read
    out: dict[str, list[_Descriptor]] = defaultdict(list)
    starts = [s.start for s in analysis.sentences] or [0]
    for name in names:
        for start, end in occurrences.find(name):
            if start in taken:
                continue
            taken.update(range(start, end))
            floor = starts[max(0, bisect.bisect_right(starts, start) - 1)]
            before = list(_TOKEN.finditer(text, max(floor, start - 120), start))[-_CONTEXT:]
            if not before or not _may_attach(before[-1].group(), language):
                continue  # only a noun, a preposition or an article can stand right before the name
            tagged = tags([t.group() for t in before], language)
            d = _attached_noun(before, tagged[: len(before)], nouns)
            if d is not None:
                i, kind = d
                if language == "de" and _genitive(name, occurrences):
                    kind = "attribute"  # "die Partei Vietnams": something of Vietnam's, not Vietnam
                tok = before[i]
                lemma = fold(tagged[i][1])
                out[name].append(_Descriptor(analysis.article.id, tok.start(), tok.end(), tok.group(), lemma, kind))
    return out


def _attached_noun(
    before: Sequence[re.Match[str]], tagged: Sequence[tuple[str, str, str]], nouns: frozenset[str]
) -> tuple[int, str] | None:
    """Index of the common noun attached to the name that follows ``before``, and how it is attached."""
    words = [t.group() for t in before]
    i = len(words) - 1
    if tagged[i][2] in nouns and _is_label_word(words[i]):
        return i, "apposition"
    # noun [preposition] [determiner] name
    j = i
    if words[j].lower() in _DETERMINERS and j > 0 and words[j - 1].lower() in _LINK_PREPOSITIONS:
        j -= 1
    elif words[j].lower() not in _LINK_PREPOSITIONS | _GENITIVE:
        return None
    k = j - 1
    if k >= 0 and tagged[k][2] in nouns and _is_label_word(words[k]):
        return k, "attribute"
    return None


def _may_attach(word: str, language: str) -> bool:
    """Whether the word right before a name can be a label noun or link one to it (tags decide later)."""
    low = word.lower()
    if low in _LINK_PREPOSITIONS or low in _DETERMINERS:
        return True
    return _WORD.fullmatch(word) is not None and (language != "de" or word[:1].isupper())


def _genitive(name: str, occurrences: _Occurrences) -> bool:
    """A German name in the genitive ("Vietnams"): the text also has it without the -s."""
    return name.endswith("s") and bool(occurrences.find(name[:-1]))


def _is_label_word(word: str) -> bool:
    return len(word) >= 3 and word.lower() not in STOPWORDS and _WORD.fullmatch(word) is not None


def _distinct(a: str, b: str) -> bool:
    """Not the same word, and not one inside the other ("Zug" / "Regionalzug")."""
    return a != b and a not in b and b not in a


def descriptor_pairs(
    analyses: Sequence[Analysis],
    similarity: Callable[[list[str]], np.ndarray],
    *,
    min_similarity: float = MIN_SIMILARITY,
) -> list[tuple[str, _Descriptor, _Descriptor]]:
    """(anchor, descriptor in one article, descriptor in another) for each label difference."""
    occurrences = [_Occurrences(a.article.text) for a in analyses]
    names = anchors(analyses, occurrences)
    if not names:
        return []
    found = [descriptors(a, names, o) for a, o in zip(analyses, occurrences, strict=True)]
    language = {a.article.id: a.language for a in analyses}
    candidates: list[tuple[str, _Descriptor, _Descriptor]] = []
    for i in range(len(analyses)):
        for j in range(i + 1, len(analyses)):
            for name in names:
                da, db = found[i].get(name, []), found[j].get(name, [])
                for kind in ("apposition", "attribute"):
                    la = {d.lemma for d in da if d.kind == kind}
                    lb = {d.lemma for d in db if d.kind == kind}
                    first_a = {d.lemma: d for d in reversed(da) if d.kind == kind and d.lemma not in lb}
                    first_b = {d.lemma: d for d in reversed(db) if d.kind == kind and d.lemma not in la}
                    for x in first_a.values():
                        for y in first_b.values():
                            if _distinct(x.lemma, y.lemma):
                                candidates.append((name, x, y))
    if not candidates:
        return []
    words = sorted({d.text for _, x, y in candidates for d in (x, y)})
    vectors = similarity(words)
    row = {w: k for k, w in enumerate(words)}

    out = []
    for name, x, y in candidates:
        cos = float(vectors[row[x.text]] @ vectors[row[y.text]])
        if language[x.article] != language[y.article] and (
                cos >= _TRANSLATION_SIMILARITY or (x.lemma in ROLE_WORDS and y.lemma in ROLE_WORDS)):
            continue  # a translation, not another label (two role words of one person: "Kanzler" / "chancellor")
        if x.kind == "attribute" and cos < min_similarity:
            continue
        out.append((name, x, y))
    return out


def _locate(sentence: str, offset: int, words_: str) -> tuple[int, int] | None:
    """Character span of ``words_`` (tokens joined by spaces) inside ``sentence``."""
    pattern = r"\s*".join(re.escape(t) for t in words_.split(" "))
    m = re.search(pattern, sentence)
    return (offset + m.start(), offset + m.end()) if m else None


def _is_label_swap(a: str, b: str, language: str | None) -> bool:
    """One common noun for another (by HanTa's tags): not a spelling variant, not one inside the other."""
    if language not in _NOUN_TAGS:
        return False
    content_a = [w for w in _WORD.findall(a) if w.lower() not in STOPWORDS]
    content_b = [w for w in _WORD.findall(b) if w.lower() not in STOPWORDS]
    if len(content_a) != 1 or len(content_b) != 1:
        return False
    wa, wb = content_a[0], content_b[0]
    fa, fb = fold(wa), fold(wb)
    if not _distinct(fa, fb) or min(len(fa), len(fb)) < 4:
        return False
    nouns = _NOUN_TAGS[language]
    return all(tags(_WORD.findall(words), language)[k][2] in nouns
               for words, k in ((a, _WORD.findall(a).index(wa)), (b, _WORD.findall(b).index(wb))))


def wording_pairs(
    statements: Sequence[Any], languages: dict[str, str | None], *, max_words: int = 3
) -> list[tuple[str, Words, Words]]:
    """(statement id, words in one article, words in another): word replacements between same-language
    mentions of one shared statement ("Plattform" / "Podium")."""
    out = []
    for st in statements:
        if st.status != "shared":
            continue
        mentions = st.mentions
        for i, ma in enumerate(mentions):
            for mb in mentions[i + 1 :]:
                if ma.article == mb.article or languages.get(ma.article) != languages.get(mb.article):
                    continue
                for op in word_diff(ma.text, mb.text):
                    if op.op != "replace":
                        continue
                    wa, wb = op.a.split(" "), op.b.split(" ")
                    if len(wa) > max_words or len(wb) > max_words:
                        continue
                    if not _is_label_swap(op.a, op.b, languages.get(ma.article)):
                        continue
                    sa, sb = _locate(ma.text, ma.start, op.a), _locate(mb.text, mb.start, op.b)
                    if sa and sb:
                        out.append((st.id, (ma.article, *sa, op.a), (mb.article, *sb, op.b)))
    return out


def label_pairs(
    analyses: Sequence[Analysis],
    statements: Sequence[Any],
    similarity: Callable[[list[str]], np.ndarray],
    *,
    min_similarity: float = MIN_SIMILARITY,
) -> list[LabelPair]:
    """Both routes together, each pair once (by the spans of its two labels)."""
    out: list[LabelPair] = []
    seen: set[tuple[tuple[str, int, int], tuple[str, int, int]]] = set()

    def add(referent: str | None, statement: str | None, a: Words, b: Words) -> None:
        key = (a[:3], b[:3])
        if key in seen or (b[:3], a[:3]) in seen:
            return
        seen.add(key)
        out.append(LabelPair(f"l{len(out) + 1}", referent, statement, a, b))

    for name, x, y in descriptor_pairs(analyses, similarity, min_similarity=min_similarity):
        add(name, None, (x.article, x.start, x.end, x.text), (y.article, y.start, y.end, y.text))
    for sid, a, b in wording_pairs(statements, {a.article.id: a.language for a in analyses}):
        add(None, sid, a, b)
    return out
