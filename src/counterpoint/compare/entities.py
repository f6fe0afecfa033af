"""Whether two names from different articles refer to the same entity (pure functions).

``entity_key("Präsident Tô Lâm") == "lam"``-style keys are accent- and case-folded with honorifics, roles
and articles stripped; ``same_entity`` adds the matches a key cannot express: a surname for the full
name ("Putin" ~ "Wladimir Putin", "Lâm" ~ "To Lam"), a name with parts left out ("Nguyen Trong" ~
"Nguyen Phu Trong"), and an organisation "X in <place>" whose places are the same country or its capital
("US-Botschaft in Vietnam" ~ "US-Botschaft in Hanoi"). Different given names never match ("Kim Jong Un"
is not "Kim Dae-jung": the surname comes first there and the rest differs).
"""

from __future__ import annotations

import json
import re
from functools import lru_cache
from importlib import resources

from ..analyze.entities import ROLE_WORDS, fold

_STRIP_WORDS = """
    der die das den dem des the a an herr herrn frau dr dr. prof prof. mr mr. mrs mrs. ms ms. sir dame lord
    lady genosse genossin
"""
_STRIP = frozenset(_STRIP_WORDS.split())
# roles stripped before a name ("Präsident Putin"), but not those that begin names ("General Motors")
_ROLES = {fold(w) for w in ROLE_WORDS} - {
    "general", "chief", "chair", "fellow", "king", "queen", "admiral", "colonel", "director"}
_PLACE_SPLIT = re.compile(r"^(.+?)\s+(?:in|im|at|of|für|for)\s+(.+)$")


@lru_cache(maxsize=1)
def _places() -> dict[str, str]:
    """Folded place name (country, capital, large city; German and English) -> ISO country code."""
    path = resources.files("counterpoint") / "data" / "ner" / "places.json"
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:  # pragma: no cover - shipped with the package
        return {}
    return {str(k): str(v) for k, v in data.items()}


@lru_cache(maxsize=65_536)
def _tokens(name: str) -> tuple[str, ...]:
    words = [w.strip(".,;:!?\"'“”„«»()[]") for w in fold(name).replace("’", "'").split()]
    words = [w for w in words if w]
    if words and words[-1].endswith("'s"):
        words[-1] = words[-1][:-2]
    # leading articles, honorifics and role words ("Präsident Putin", "der russische Präsident Putin")
    while len(words) > 1 and (words[0] in _STRIP or words[0] in _ROLES):
        words.pop(0)
    # "russische prasident wladimir putin": what precedes a role is its description
    for i in range(len(words) - 2, 0, -1):
        if words[i] in _ROLES:
            return tuple(words[i + 1 :])
    return tuple(words)


def entity_key(name: str) -> str:
    """Accent- and case-folded name without articles, honorifics or leading roles: "Herr Tô Lâm" -> "to lam"."""
    return " ".join(_tokens(name))


def country_of(place: str) -> str | None:
    """ISO country code of a country, its capital or a large city named in German or English."""
    return _places().get(entity_key(place))


def _bare(word: str) -> str:
    """A German genitive -s off a single name ("Putins")."""
    return word[:-1] if len(word) > 4 and word.endswith("s") else word


def same_entity(a: str, b: str) -> bool:
    """Whether two names (from different articles) most likely refer to the same entity."""
    ta, tb = _tokens(a), _tokens(b)
    if not ta or not tb:
        return False
    if ta == tb:
        return True
    # an organisation or office "X in <place>": same X, places in one country
    ma, mb = _PLACE_SPLIT.match(" ".join(ta)), _PLACE_SPLIT.match(" ".join(tb))
    if ma and mb:
        if ma.group(1) != mb.group(1):
            return False
        ca, cb = country_of(ma.group(2)), country_of(mb.group(2))
        return ca is not None and ca == cb
    if ma or mb:
        return False
    short, long = (ta, tb) if len(ta) <= len(tb) else (tb, ta)
    if len(short) == 1:
        word = short[0]
        return (len(word) > 1 and word in (long[-1], _bare(long[-1]))) or _bare(word) == long[-1]
    # parts left out: same surname, the shorter's words all in the longer, in order
    if short[-1] != long[-1]:
        return False
    it = iter(long)
    return all(w in it for w in short)
