"""Fact table, omissions, digest, wording diffs, framing statistics and voices on hand-built values."""

from __future__ import annotations

from counterpoint.compare.facts import digest, fact_table, omissions
from counterpoint.compare.framing import distinctive_words, marker_density, stance_markers
from counterpoint.compare.labels import descriptor_pairs, wording_pairs
from counterpoint.compare.voices import voices
from counterpoint.compare.wording import similarity, word_diff
from counterpoint.model import Analysis, Article, Entity, Mention, Quote, Sentence, Statement


def _st(sid: str, *arts: str, text: str = "x") -> Statement:
    mentions = tuple(Mention(a, 0, len(text), text, 0) for a in arts)
    return Statement(sid, "shared" if len(arts) > 1 else "unique", mentions, 5.0 if len(arts) > 1 else None)


ARTS = [Article(id=a, text="x") for a in "abcd"]


def test_fact_status_and_omissions():
    facts = fact_table([_st("s1", "a", "b", "c", "d"), _st("s2", "a", "b", "c"), _st("s3", "a", "b"),
                        _st("s4", "d")], ARTS)
    status = {f.statement: f.status for f in facts}
    assert status == {"s1": "all", "s2": "some", "s3": "some", "s4": "one"}
    om = omissions(facts, ARTS)
    by_statement = {f.id: f.statement for f in facts}
    # d misses s2 (3 of its 3 others report it); c and d do not "omit" s3 (only 2 of 3 others... for c: a, b
    # report it, 2 > 1.5 so c omits it too); nobody omits the unique s4
    assert [by_statement[f] for f in om["d"]] == ["s2", "s3"]
    assert [by_statement[f] for f in om["c"]] == ["s3"]
    assert om["a"] == () and om["b"] == ()
    assert [f.statement for f in digest(facts)] == ["s1"]


def test_word_diff_shows_the_changed_words():
    ops = word_diff("kein Land Putin eine Plattform geben sollte", "Kein Land sollte Putin ein Podium geben")
    changed = [(o.a, o.b) for o in ops if o.op == "replace"]
    assert ("eine Plattform", "ein Podium") in changed
    assert similarity("a b c", "a b c") == 1.0 and similarity("a b c", "x y z") == 0.0


def test_distinctive_words_rank_what_sets_an_outlet_apart():
    a = "Die Regierung lobte die Reform. Die Reform bringt Wachstum. Wachstum und Wachstum, sagte der Minister."
    b = "Kritiker nennen die Reform einen Angriff auf Arbeiter. Die Reform trifft Arbeiter hart, Angriff, Angriff."
    da, db = distinctive_words([a, b])
    assert da[0].word == "wachstum" and db[0].word in {"angriff", "arbeiter"}
    # used equally by both: ranks below every word only one of them uses
    for found in (da, db):
        words = [d.word for d in found]
        assert "reform" not in words or words.index("reform") == len(words) - 1


def test_stance_markers_and_density():
    text = "Zweifellos war das ein Putsch. Angeblich wurde niemand verletzt. In Wirklichkeit war es völlig anders."
    hits = stance_markers(text)
    assert [(h.category, h.text) for h in hits] == [
        ("epistemic", "Zweifellos"), ("loaded", "Putsch"), ("epistemic", "Angeblich"),
        ("epistemic", "In Wirklichkeit"), ("intensifier", "völlig")]
    assert all(text[h.start:h.end] == h.text for h in hits)
    density = marker_density(text)
    assert density["epistemic"] > density["loaded"] > 0


def test_wording_pairs_need_one_common_noun_for_another():
    ta = "Die US-Botschaft warf ihm Gräueltaten vor."
    tb = "Die US-Botschaft warf ihm Verbrechen vor."
    st = Statement("s1", "shared", (Mention("a", 0, len(ta), ta, 0), Mention("b", 0, len(tb), tb, 0)), 6.0)
    pairs = wording_pairs([st], {"a": "de", "b": "de"})
    assert [(a[3], b[3]) for _, a, b in pairs] == [("Gräueltaten", "Verbrechen")]
    assert wording_pairs([st], {"a": "de", "b": "en"}) == []  # across languages a different word is a translation
    ta, tb = "Rund 60 Menschen kamen.", "Etwa 60 Menschen kamen."  # capitalised, but not nouns
    st = Statement("s2", "shared", (Mention("a", 0, len(ta), ta, 0), Mention("b", 0, len(tb), tb, 0)), 6.0)
    assert wording_pairs([st], {"a": "de", "b": "de"}) == []


def _named(aid: str, text: str, language: str, *names: str) -> Analysis:
    entities = tuple(Entity(text.index(n), text.index(n) + len(n), n, "ORG") for n in names)
    return Analysis(Article(id=aid, text=text), language=language, entities=entities)


def _labels(*analyses: Analysis) -> set[tuple[str, str, str]]:
    from counterpoint.analyze.embed import USEEmbedder

    return {(name, x.text, y.text) for name, x, y in descriptor_pairs(analyses, USEEmbedder())}


def test_descriptor_pairs_label_one_named_referent_differently():
    found = _labels(
        _named("a", "Die Werft gehört seit 2021 dem Finanzinvestor Baltic Harbour Capital.", "de",
               "Baltic Harbour Capital"),
        # the recogniser took the label into the name: it is cut off again
        _named("b", "Hinter dem Abbau steht die Heuschrecke Baltic Harbour Capital.", "de",
               "Heuschrecke Baltic Harbour Capital"),
        _named("c", "Eigentümer ist der Finanzinvestor Baltic Harbour Capital.", "de"),
    )
    assert found == {("Baltic Harbour Capital", "Finanzinvestor", "Heuschrecke"),
                     ("Baltic Harbour Capital", "Heuschrecke", "Finanzinvestor")}


def test_descriptor_pairs_keep_attributes_apart_that_name_different_things():
    found = _labels(
        _named("a", "Das Regime in Dorvik ließ Kritiker verhaften. Die Partei Vietnams tagt in Vietnam.", "de",
               "Dorvik", "Vietnams"),
        _named("b", "Der Besuch in Dorvik dauerte zwei Tage. Das Interesse Vietnams ist groß.", "de",
               "Dorvik", "Vietnams"),
    )
    assert found == set()  # a visit is not a regime; "Partei Vietnams" is a genitive, not an apposition
    found = _labels(
        _named("a", "Die Regierung in Dorvik weist Vorwürfe zurück.", "de", "Dorvik"),
        _named("b", "The government in Dorvik rejected the charges.", "en", "Dorvik"),
        _named("c", "Das Regime in Dorvik weist Vorwürfe zurück.", "de", "Dorvik"),
    )
    # "Regierung" / "government" is a translation, not a label; "Regime" differs from both
    assert found == {("Dorvik", "Regierung", "Regime"), ("Dorvik", "government", "Regime")}


def test_voices_count_words_position_and_role():
    text = ("Anna Berg, Analystin am Institut für Politik, sagte, die Lage sei ernst.\n"
            "Das Treffen dauerte zwei Stunden.\n"
            "„Wir sind zufrieden“, sagte Bürgermeister Jan Kurz.")
    q1 = Quote(44 + 8, 71, text[52:71], "indirect", 0, 9, "Anna Berg", "e1", "Anna Berg", 45, 50, "sagte")
    start2 = text.index("Wir")
    q2 = Quote(start2, start2 + 17, text[start2:start2 + 17], "direct", text.index("Jan"), len(text) - 1,
               "Jan Kurz", "e2", "Jan Kurz", text.index("sagte B"), text.index("sagte B") + 5, "sagte")
    sents = (Sentence(0, 72, text[:72], 0), Sentence(73, 105, text[73:105], 1),
             Sentence(106, len(text), text[106:], 2))
    ents = (Entity(0, 9, "Anna Berg", "PER", "e1", "Anna Berg"),
            Entity(text.index("Jan"), len(text) - 1, "Jan Kurz", "PER", "e2", "Jan Kurz"))
    an = Analysis(article=Article(id="a", text=text), language="de", sentences=sents, entities=ents, quotes=(q1, q2))
    v = voices(an)
    by_name = {x.speaker: x for x in v.voices}
    assert by_name["Anna Berg"].role == "analyst" and by_name["Anna Berg"].first_paragraph
    assert by_name["Jan Kurz"].role == "official" and by_name["Jan Kurz"].last_paragraph
    assert by_name["Jan Kurz"].words == 3
    assert v.attributed_sentences == 2 and round(v.unattributed_share, 2) == 0.33
