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
    evidence = [ev for c in document.get("conflicts", []) for ev in (c["a"], c["b"])]
    evidence += [ev for q in document.get("quote_matches", []) for ev in q["mentions"]]
    evidence += [ev for v in document.get("voices", []) for x in v["voices"] for ev in x["evidence"]]
    for ev in evidence:
        if texts[ev["article"]][ev["start"]:ev["end"]] != ev["text"]:
            raise ValueError(f"evidence {ev['text'][:40]!r} does not match its offsets")
    for key in ("entities", "quotes", "claims"):
        for item in document.get(key, []):
            text = texts[item["article"]]
            if text[item["start"]:item["end"]] != item["text"]:
                raise ValueError(f"{key}: {item['text']!r} does not match its offsets")
            for part in ("speaker", "cue"):
                start, end = item.get(f"{part}_start"), item.get(f"{part}_end")
                if start is not None and text[start:end] != item.get(f"{part}_text"):
                    raise ValueError(f"{key}: {part} of {item['text'][:40]!r} does not match its offsets")
