"""How each outlet words the story: distinctive vocabulary and evaluative or hedging language.

Distinctive vocabulary is the log-odds ratio with an informative Dirichlet prior (Monroe, Colaresi and
Quinn 2008, "Fightin' Words", section 3.5): for outlet i against the other articles of the story,

    delta_w = log((y_iw + a_w) / (n_i + a_0 - y_iw - a_w)) - log((y_jw + a_w) / (n_j + a_0 - y_jw - a_w))
    var_w  ~= 1 / (y_iw + a_w) + 1 / (y_jw + a_w)

with the prior a_w = a_0 * (the word's share of the whole story), and words ranked by the z-score
delta_w / sqrt(var_w). The prior shrinks rare words towards zero, so one stray word does not top the
list the way it would with raw counts or plain ratios.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)

STOPWORDS = frozenset(
    """
    der die das den dem des ein eine einer eines einem einen und oder aber auch als an auf aus bei bis
    durch für gegen in im ins mit nach seit über um unter von vor zu zum zur zwischen ist sind war waren
    wird werden wurde wurden hat haben hatte hatten sei seien habe hätten kann könne könnte sich sie er
    es wir ihr ihre ihren ihrem ihres sein seine seinen seinem seiner dass daß nicht nur noch so wie
    wenn dies diese dieser dieses diesen man mehr sehr schon dann denn doch da hier dort was wer welche
    welcher alle allen beim vom am the a an and or but of to in on at by for with from as is are was
    were be been has have had it its this that these those he she they we you i his her their our not no
    so if than then there which who whom what when where also into about after before over under said
    says say
    """.split()
)


@dataclass(frozen=True)
class Distinctive:
    word: str
    z: float
    count: int  # occurrences in this article


def words(text: str) -> list[str]:
    return [w.lower() for w in _WORD.findall(text)]


def distinctive_words(
    texts: Sequence[str], *, top: int = 10, prior_strength: float = 100.0, min_z: float = 0.0
) -> list[list[Distinctive]]:
    """For each text, the words that most set it apart from the others, by prior-smoothed log-odds z."""
    counts = [Counter(w for w in words(t) if w not in STOPWORDS and len(w) > 2) for t in texts]
    total = Counter[str]()
    for c in counts:
        total.update(c)
    n_total = sum(total.values())
    if len(texts) < 2 or n_total == 0:
        return [[] for _ in texts]
    out = []
    for own in counts:
        rest = total - own
        n_i, n_j = sum(own.values()), sum(rest.values())
        scored = []
        for w, y_i in own.items():
            a_w = prior_strength * total[w] / n_total
            y_j = rest.get(w, 0)
            delta = math.log((y_i + a_w) / (n_i + prior_strength - y_i - a_w)) - math.log(
                (y_j + a_w) / (n_j + prior_strength - y_j - a_w)
            )
            z = delta / math.sqrt(1.0 / (y_i + a_w) + 1.0 / (y_j + a_w))
            if z >= min_z:
                scored.append(Distinctive(w, z, y_i))
        scored.sort(key=lambda d: (-d.z, d.word))
        out.append(scored[:top])
    return out


# Markers of the outlet's own stance. Small, hand-written and incomplete; counted as whole words or
# phrases, case-insensitively. (Lexicons, not a model: what they find is listed, so a reader can judge.)
MARKERS: dict[str, tuple[str, ...]] = {
    "epistemic": (
        "zweifellos",
        "ohne zweifel",
        "in wirklichkeit",
        "tatsächlich",
        "angeblich",
        "offenbar",
        "offensichtlich",
        "vermutlich",
        "mutmaßlich",
        "wohl",
        "scheinbar",
        "eindeutig",
        "natürlich",
        "undoubtedly",
        "without doubt",
        "in reality",
        "in fact",
        "allegedly",
        "reportedly",
        "apparently",
        "obviously",
        "clearly",
        "supposedly",
        "purportedly",
        "presumably",
        "of course",
    ),
    "intensifier": (
        "völlig",
        "äußerst",
        "extrem",
        "massiv",
        "enorm",
        "zutiefst",
        "verzweifelt",
        "ziemlich",
        "höchst",
        "totally",
        "completely",
        "extremely",
        "utterly",
        "deeply",
        "desperately",
        "massively",
        "hugely",
    ),
    "loaded": (
        "regime",
        "imperialismus",
        "imperialistisch",
        "imperialistischen",
        "propaganda",
        "kriegstreiber",
        "aggression",
        "angriffskrieg",
        "gräueltaten",
        "putsch",
        "reaktionär",
        "oligarchen",
        "diktator",
        "imperialism",
        "imperialist",
        "warmonger",
        "atrocities",
        "coup",
        "reactionary",
        "oligarchs",
        "dictator",
        "thugs",
        "terrorists",
    ),
}


@dataclass(frozen=True)
class MarkerHit:
    category: str
    start: int
    end: int
    text: str


@lru_cache(maxsize=1)
def _marker_pattern() -> re.Pattern[str]:
    phrases = sorted(((p, c) for c, ps in MARKERS.items() for p in ps), key=lambda pc: -len(pc[0]))
    return re.compile(r"(?<!\w)(?:" + "|".join(f"(?P<m{i}>{re.escape(p)})" for i, (p, _) in enumerate(phrases))
                      + r")(?!\w)", re.IGNORECASE)


@lru_cache(maxsize=1)
def _marker_categories() -> list[str]:
    phrases = sorted(((p, c) for c, ps in MARKERS.items() for p in ps), key=lambda pc: -len(pc[0]))
    return [c for _, c in phrases]


def stance_markers(text: str) -> list[MarkerHit]:
    """Evaluative and hedging words and phrases in ``text``, with character spans (longest phrase first)."""
    categories = _marker_categories()
    hits = []
    for m in _marker_pattern().finditer(text):
        k = int(m.lastgroup[1:]) if m.lastgroup else 0
        hits.append(MarkerHit(categories[k], m.start(), m.end(), m.group()))
    return hits


def marker_density(text: str) -> dict[str, float]:
    """Stance markers per 1,000 words, by category."""
    n = max(len(words(text)), 1)
    counts = Counter(h.category for h in stance_markers(text))
    return {category: round(1000.0 * counts[category] / n, 2) for category in MARKERS}
