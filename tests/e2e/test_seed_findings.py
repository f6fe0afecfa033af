"""Each finding the comparison issue names for the two seed articles, asserted on the real comparison."""

from __future__ import annotations

import re

import pytest
from rich.console import Console

from counterpoint import compare
from counterpoint.compare.voices import role_contrasts
from counterpoint.model import Comparison
from counterpoint.report.terminal import render_terminal
from counterpoint.settings import load_settings


@pytest.fixture(scope="module")
def result(seeds) -> Comparison:
    return compare(seeds, load_settings(env={}))


def _ids(result: Comparison) -> tuple[str, str]:
    a, b = result.articles
    return a.id, b.id


def test_twelve_against_eleven_agreements_is_the_contradiction(result):
    a, b = _ids(result)
    pairs = {(c.a.article, c.a.text, c.b.article, c.b.text) for c in result.conflicts}
    assert (a, "zwölf", b, "elf") in pairs
    # nothing else: every contradiction sets the first article's count of agreements (a dozen or more)
    # against the second's eleven
    for c in result.conflicts:
        assert (c.a.article, c.b.article, c.b.text) == (a, b, "elf")
        assert c.a.text in ("zwölf", "mindestens ein Dutzend", "Dutzende")
        assert "cannot both be true" in c.explanation


def test_the_embassy_statement_is_matched_with_its_word_changes(result):
    match = next(m for m in result.quote_matches if "Plattform" in m.mentions[0].text + m.mentions[1].text)
    assert all("Botschaft" in s for s in match.speakers)
    changes = {(op.a, op.b) for op in match.diff if op.op == "replace"}
    assert ("eine Plattform", "ein Podium") in changes
    assert ("Gräueltaten", "Verbrechen") in changes


def test_lams_statement_is_matched_and_only_one_outlet_keeps_non_traditional(result):
    match = next(m for m in result.quote_matches if "Verteidigung" in m.mentions[0].text)
    assert {re.sub(r"\W", "", s)[-3:] for s in match.speakers} == {"Lam", "Lâm"}
    keeps = [m.article for m in match.mentions if "nicht-traditionellen" in m.text]
    assert keeps == [result.articles[1].id]


def test_one_outlet_lets_analysts_speak_the_other_none(result):
    a, b = _ids(result)
    contrasts = dict(role_contrasts(result.voices))
    assert len(contrasts["analysts"][a]) >= 4 and contrasts["analysts"][b] == []
    roles = {v.speaker: v.role for vs in result.voices if vs.article == a for v in vs.voices}
    experts = [s for s, r in roles.items() if r in ("analyst", "diplomat") and "Botschaft" not in s]
    assert len(experts) == 5  # Gould-Davies, Rahmat, Parameswaran, Goledzinowski, Nguyen Khac Giang
    console = Console(record=True, width=400)
    render_terminal(result, console)
    summary = console.export_text()
    assert re.search(r"Analysts quoted: \[1\] 4 \(.*\); \[2\] none", summary)


def test_framing_labels_loaded_words_and_distinctive_vocabulary(result):
    a, b = _ids(result)
    labels = {(lp["a"]["text"], lp["b"]["text"]) for lp in result.framing["labels"]}
    assert {("Einmarsches", "Invasion"), ("eine Plattform", "ein Podium"), ("Gräueltaten", "Verbrechen")} <= labels
    for lp in result.framing["labels"]:
        for side in ("a", "b"):
            art = next(x for x in result.articles if x.id == lp[side]["article"])
            assert art.text[lp[side]["start"]:lp[side]["end"]] == lp[side]["text"]
    loaded = {h["text"] for h in result.framing["markers"][b]["hits"] if h["category"] == "loaded"}
    assert "Imperialismus" in loaded
    epistemic = {h["text"].lower() for h in result.framing["markers"][b]["hits"] if h["category"] == "epistemic"}
    assert {"zweifellos", "in wirklichkeit"} <= epistemic
    density = result.framing["markers"]
    assert density[b]["per_1000_words"]["loaded"] > density[a]["per_1000_words"]["loaded"]
    assert {"usa", "nato"} <= {d["word"] for d in result.framing["distinctive"][b][:10]}


def test_the_digest_lists_only_what_both_report(result):
    facts = {f.id: f for f in result.facts}
    assert len(result.digest) >= 5
    for fid in result.digest:
        assert set(facts[fid].articles) == {x.id for x in result.articles}
