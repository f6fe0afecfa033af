"""The JSON Schema of the output document, and a validator for it."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib.resources import files
from typing import Any

SCHEMA_FILE = "comparison-1.json"


@lru_cache(maxsize=1)
def comparison_schema() -> dict[str, Any]:
    return json.loads(files(__name__).joinpath(SCHEMA_FILE).read_text(encoding="utf-8"))


def validate_comparison(document: dict[str, Any]) -> None:
    """Raise ``jsonschema.ValidationError`` when ``document`` does not follow the schema, and
    ``ValueError`` when an offset does not point at the text it claims."""
    import jsonschema

    jsonschema.validate(document, comparison_schema())
    texts = {a["id"]: a["text"] for a in document["articles"]}
    for st in document["statements"]:
        for m in st["mentions"]:
            if texts[m["article"]][m["start"]:m["end"]] != m["text"]:
                raise ValueError(f"statement {st['id']}: mention text does not match its offsets")
