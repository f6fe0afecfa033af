from __future__ import annotations

import pytest

from counterpoint.analyze.tone import LABELS, features, lexicons, tone, tone_many, tone_proba


def _tone(sentence: str, target: str, language: str | None = None) -> tuple[str, float]:
    start = sentence.index(target)
    return tone(sentence, start, start + len(target), language)


# clearly toned sentences, hand-written for these tests (not from any data set)
CASES = [
    ("de", "Der FC Bayern feierte einen großartigen Sieg und gewann den Titel.", "FC Bayern", "positive"),
    ("de", "Die Regierung lobte Merkel für ihre mutige und kluge Entscheidung.", "Merkel", "positive"),
    ("de", "Kritiker werfen Scholz Versagen und Lügen im Skandal vor.", "Scholz", "negative"),
    ("de", "Der Täter wurde nach dem brutalen Angriff festgenommen.", "Täter", "negative"),
    ("de", "Scholz reist am Montag nach Paris.", "Scholz", "neutral"),
    ("de", "Die Sitzung des Ausschusses beginnt um zehn Uhr im Rathaus.", "Ausschusses", "neutral"),
    ("en", "The team celebrated a great victory and won the title.", "team", "positive"),
    ("en", "Critics praised Merkel for her brave and wise decision.", "Merkel", "positive"),
    ("en", "Johnson was accused of lying and faces a corruption scandal.", "Johnson", "negative"),
    ("en", "The suspect was arrested after the brutal attack.", "suspect", "negative"),
    ("en", "Johnson will travel to Paris on Monday.", "Johnson", "neutral"),
]


@pytest.mark.parametrize(("language", "sentence", "target", "expected"), CASES)
def test_clear_tone(language: str, sentence: str, target: str, expected: str) -> None:
    label, confidence = _tone(sentence, target, language)
    assert label == expected
    assert 1 / len(LABELS) < confidence <= 1.0
    assert _tone(sentence, target)[0] == expected  # the language guessed from function words


def test_probabilities_sum_to_one() -> None:
    probs = tone_proba("Der Trainer wurde nach der Pleite entlassen.", 4, 11, "de")
    assert set(probs) == set(LABELS)
    assert sum(probs.values()) == pytest.approx(1.0)


def test_negation_flips_a_polar_word() -> None:
    lexicon = lexicons()["de"]
    assert lexicon.polarity("erfolgreich") == 1
    plain = features("Der Plan war erfolgreich für Meier.", 29, 34, "de")
    negated = features("Der Plan war nicht erfolgreich für Meier.", 35, 40, "de")
    assert plain.get("x:pos", 0) > 0 and "x:neg" not in plain
    assert negated.get("x:neg", 0) > 0 and negated.get("x:negated") == 1


def test_lexicon_compounds_and_un_prefix() -> None:
    de = lexicons()["de"]
    assert de.polarity("derby-niederlage") == -1  # a compound holding a long stem
    assert de.polarity("verfolgt") == 0  # holds "erfolg" but is not a success
    assert de.polarity("unzufrieden") == -1
    assert lexicons()["en"].polarity("unhappy") == -1


def test_target_is_masked() -> None:
    # the target's own words never count: "Sieg" as the target's name is not a positive cue
    feats = features("Sieg sagte am Montag nichts.", 0, 4, "de")
    assert "x:pos" not in feats


@pytest.mark.parametrize("sentence", ["", "   ", "…", "!!"])
def test_empty_sentence_is_neutral(sentence: str) -> None:
    assert tone(sentence, 0, 0) == ("neutral", 1.0)


def test_target_at_the_edges_and_out_of_range() -> None:
    sentence = "Merkel lobte das Team nach dem großartigen Sieg"
    for start, end in [(0, 6), (len(sentence) - 4, len(sentence)), (-5, 3), (40, 999), (10, 5), (0, 0)]:
        label, confidence = tone(sentence, start, end, "de")
        assert label in LABELS
        assert 0.0 < confidence <= 1.0


def test_very_long_sentence_is_fast_and_bounded() -> None:
    sentence = " ".join(["Der Minister wurde scharf kritisiert, und die Opposition forderte seinen Rücktritt."] * 2000)
    start = sentence.index("Minister", len(sentence) // 2)
    label, confidence = tone(sentence, start, start + 8, "de")
    assert label == "negative"
    assert confidence < 1.0
    assert len(features(sentence, start, start + 8, "de")) < 60  # only the part near the target is read


def test_tone_many_matches_tone() -> None:
    items = [(s, s.index(t), s.index(t) + len(t)) for _, s, t, _ in CASES]
    assert tone_many(items) == [tone(*item) for item in items]
    assert tone_many(items, sentence_vectors=[None] * len(items)) == [tone(*item) for item in items]
    with pytest.raises(ValueError):
        tone_many(items, sentence_vectors=[None])
