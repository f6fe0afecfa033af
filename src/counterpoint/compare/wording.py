"""Word-level differences between two wordings of the same statement.

Used for matched quotations ("Plattform" vs "Podium") and for "same referent, different label": where
two outlets say the same thing, the words one replaces with another are its labels for the same thing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from difflib import SequenceMatcher
from typing import Literal

_TOKEN = re.compile(r"\w+(?:[-'’]\w+)*|[^\w\s]", re.UNICODE)


@dataclass(frozen=True)
class DiffOp:
    op: Literal["equal", "replace", "delete", "insert"]
    a: str  # the words of the first wording ("" for insert)
    b: str  # the words of the second wording ("" for delete)


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text)


def word_diff(a: str, b: str) -> list[DiffOp]:
    """The edit script from wording ``a`` to wording ``b``, word by word (case-insensitive match)."""
    ta, tb = tokens(a), tokens(b)
    matcher = SequenceMatcher(None, [t.lower() for t in ta], [t.lower() for t in tb], autojunk=False)
    ops = []
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        ops.append(DiffOp(tag, " ".join(ta[i1:i2]), " ".join(tb[j1:j2])))
    return ops


def similarity(a: str, b: str) -> float:
    """Share of words the two wordings have in common, in order (0 to 1)."""
    ta, tb = [t.lower() for t in tokens(a)], [t.lower() for t in tokens(b)]
    if not ta and not tb:
        return 1.0
    return SequenceMatcher(None, ta, tb, autojunk=False).ratio()
