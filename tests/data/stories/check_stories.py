"""Check the hand-annotated evaluation stories in this folder (standard library only).

For every ``<id>.jsonl`` with its ``<id>.expected.json`` it verifies that

- each article record has the fields id, outlet, language, published (ISO date), title and text, and the
  ids are unique within the story;
- every article id the annotations refer to exists;
- every annotated passage occurs exactly once in its article's text;
- omissions name known facts, and ``missing_in`` is exactly the articles that do not mention the fact
  (facts mentioned by every article have no omission);
- conflict types and speaker roles are known; every speaker's surname and every hedge occurs in the article.

When the ``counterpoint`` package can be imported (run it with the project's virtual environment), it also
checks that every passage occurs exactly once in the *cleaned* text (captions, credits and page furniture
removed), which is what ``counterpoint eval compare`` looks passages up in.

    python tests/data/stories/check_stories.py [FOLDER]

Exit status 0 when all stories pass, 1 otherwise; one line per problem on stderr.
"""

from __future__ import annotations

import datetime as dt
import json
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

FIELDS = ("id", "outlet", "language", "published", "title", "text")
CONFLICT_TYPES = {"number", "date", "place", "speaker"}
ROLES = {"official", "diplomat", "analyst", "journalist", "citizen", "organisation"}
TOP_KEYS = {"story", "shared_facts", "omissions", "conflicts", "non_conflicts", "quote_matches", "speakers",
            "labels", "hedges", "unique_facts", "notes"}


def _cleaner() -> Callable[[str, str], str] | None:
    try:
        from counterpoint.sources.clean import clean_text
    except ImportError:
        return None
    return lambda text, title: clean_text(text, title=title).text


def passages(expected: dict[str, Any]) -> Iterator[tuple[str, str, str]]:
    """(where, article id, passage) for every passage the annotations point at."""
    for fact in expected.get("shared_facts", []):
        for aid, text in fact.get("mentions", {}).items():
            yield f"shared_facts[{fact.get('id')}]", aid, text
    for key in ("conflicts", "non_conflicts"):
        for i, pair in enumerate(expected.get(key, [])):
            for side in ("a", "b"):
                ref = pair.get(side, {})
                yield f"{key}[{i}].{side}", ref.get("article", ""), ref.get("text", "")
    for i, q in enumerate(expected.get("quote_matches", [])):
        for aid, text in q.get("mentions", {}).items():
            yield f"quote_matches[{i}]", aid, text
    for i, lab in enumerate(expected.get("labels", [])):
        for aid, text in lab.get("labels", {}).items():
            yield f"labels[{i}]", aid, text
    for i, u in enumerate(expected.get("unique_facts", [])):
        yield f"unique_facts[{i}]", u.get("article", ""), u.get("text", "")


def load_articles(path: Path, problems: list[str]) -> dict[str, dict[str, Any]]:
    articles: dict[str, dict[str, Any]] = {}
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        where = f"{path.name}:{n}"
        try:
            rec = json.loads(line)
        except ValueError as exc:
            problems.append(f"{where}: not JSON ({exc})")
            continue
        missing = [f for f in FIELDS if not (isinstance(rec.get(f), str) and rec[f].strip())]
        if missing:
            problems.append(f"{where}: missing or empty field(s) {', '.join(missing)}")
            continue
        try:
            dt.date.fromisoformat(rec["published"])
        except ValueError:
            problems.append(f"{where}: published {rec['published']!r} is not an ISO date")
        if rec["id"] in articles:
            problems.append(f"{where}: duplicate article id {rec['id']!r}")
        articles[rec["id"]] = rec
    return articles


def check_story(jsonl: Path, expected_path: Path, clean: Callable[[str, str], str] | None) -> list[str]:
    problems: list[str] = []
    articles = load_articles(jsonl, problems)
    try:
        expected = json.loads(expected_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return [*problems, f"{expected_path.name}: not JSON ({exc})"]
    name = expected_path.name

    def say(msg: str) -> None:
        problems.append(f"{name}: {msg}")

    if expected.get("story") != jsonl.name[: -len(".jsonl")]:
        say(f"story {expected.get('story')!r} does not match the file name")
    for key in set(expected) - TOP_KEYS:
        say(f"unknown key {key!r}")

    cleaned: dict[str, str] = {}
    if clean is not None:
        cleaned = {aid: clean(rec["text"], rec["title"]) for aid, rec in articles.items()}

    for where, aid, text in passages(expected):
        if aid not in articles:
            say(f"{where}: no article {aid!r}")
            continue
        if not text:
            say(f"{where}: empty passage for {aid}")
            continue
        count = articles[aid]["text"].count(text)
        if count != 1:
            say(f"{where}: {text[:60]!r} occurs {count} times in {aid}")
        elif cleaned and cleaned[aid].count(text) != 1:
            say(f"{where}: {text[:60]!r} occurs {cleaned[aid].count(text)} times in the cleaned text of {aid}")

    facts = {f.get("id"): f for f in expected.get("shared_facts", [])}
    if len(facts) != len(expected.get("shared_facts", [])):
        say("duplicate fact ids")
    omitted: dict[str, set[str]] = {}
    for om in expected.get("omissions", []):
        fid = om.get("fact")
        if fid not in facts:
            say(f"omission of unknown fact {fid!r}")
            continue
        for aid in om.get("missing_in", []):
            if aid not in articles:
                say(f"omission of {fid}: no article {aid!r}")
        omitted.setdefault(fid, set()).update(om.get("missing_in", []))
    for fid, fact in facts.items():
        mentioned = set(fact.get("mentions", {}))
        if len(mentioned) < 2:
            say(f"fact {fid} is mentioned by fewer than two articles")
        absent = set(articles) - mentioned
        if omitted.get(fid, set()) != absent:
            say(f"fact {fid}: missing_in should be {sorted(absent)}, is {sorted(omitted.get(fid, set()))}")

    for i, c in enumerate(expected.get("conflicts", [])):
        if c.get("type") not in CONFLICT_TYPES:
            say(f"conflicts[{i}]: unknown type {c.get('type')!r}")
        if c.get("a") == c.get("b"):
            say(f"conflicts[{i}]: both sides are the same passage")

    for aid, speakers in expected.get("speakers", {}).items():
        if aid not in articles:
            say(f"speakers: no article {aid!r}")
            continue
        for sp in speakers:
            if sp.get("role") not in ROLES:
                say(f"speakers[{aid}]: {sp.get('name')}: unknown role {sp.get('role')!r}")
            surname = str(sp.get("name", "")).split()[-1:] or [""]
            if not surname[0] or surname[0] not in articles[aid]["text"]:
                say(f"speakers[{aid}]: {sp.get('name')!r} does not occur in the text")
            if not isinstance(sp.get("quotes"), int) or sp["quotes"] < 1:
                say(f"speakers[{aid}]: {sp.get('name')}: quotes must be a positive integer")

    for aid, words in expected.get("hedges", {}).items():
        if aid not in articles:
            say(f"hedges: no article {aid!r}")
            continue
        for w in words:
            if w.lower() not in articles[aid]["text"].lower():
                say(f"hedges[{aid}]: {w!r} does not occur in the text")
    return problems


def main(argv: list[str]) -> int:
    folder = Path(argv[1]) if len(argv) > 1 else Path(__file__).resolve().parent
    stories = sorted(folder.glob("*.jsonl"))
    if not stories:
        print(f"{folder}: no stories (*.jsonl)", file=sys.stderr)
        return 1
    clean = _cleaner()
    problems: list[str] = []
    for jsonl in stories:
        expected = jsonl.with_name(jsonl.name[: -len(".jsonl")] + ".expected.json")
        if not expected.exists():
            problems.append(f"{jsonl.name}: no {expected.name} beside it")
            continue
        found = check_story(jsonl, expected, clean)
        problems += found
        n = sum(1 for line in jsonl.read_text(encoding="utf-8").splitlines() if line.strip())
        print(f"{jsonl.stem}: {n} articles, {'ok' if not found else f'{len(found)} problem(s)'}")
    for p in problems:
        print(p, file=sys.stderr)
    print(f"{len(stories)} stories, {len(problems)} problem(s)"
          f"{'' if clean else ' (counterpoint not importable: cleaned text not checked)'}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
