"""The comparison as the JSON document of the schema ``counterpoint/comparison@1``."""

from __future__ import annotations

import json

from ..model import Comparison


def render_json(comparison: Comparison, *, indent: int | None = 2) -> str:
    return json.dumps(comparison.to_dict(), ensure_ascii=False, indent=indent) + "\n"
