"""Named entities (PER, ORG, LOC, OTH) for German and English news: a CRF tagger plus article-level linking.

Recognition: a linear-chain CRF over hand-written token features (word, affixes, shape, capitalisation,
position, hyphen parts), HanTa's lexicons (is a word a proper noun, a common noun ... in its German and
English training corpora) and gazetteers (places from GeoNames, countries in German and English, first
names, titles and role nouns, organisation heads such as AG/GmbH/Partei/Institut). It is trained with
python-crfsuite on GermEval 2014 by ``scripts/train_ner.py``; its weights ship in
``counterpoint/data/ner/model.npz`` and are decoded here with numpy (batched Viterbi, the same tags as
crfsuite), so crfsuite is needed only for training. A few rules clean the spans afterwards (lower-case
words and weekdays cut off, "Präsidenten To Lam" a person, "US-Botschaft" an organisation). GermEval's
``*deriv``/``*part`` classes ("russische", "Vietnam-Besuch") are learned as their own labels but not
reported: counterpoint keeps whole names only. The training data is German; English text is tagged by
the same model, which also saw a copy of its training sentences with every non-name word lower-cased
(marked with a language feature), so it learns that capitals in English mark names.

Linking (within one article): name variants become one entity (``e1``, ``e2`` ...) whose ``canonical``
is the fullest name: "Wladimir Putin", "Putin", "Putins"; "Tô Lâm", "Lâm". A role description that the
article ties to a name ("der russische Präsident Wladimir Putin", "Andrew Goledzinowski, der australische
Botschafter") is a ``kind="description"`` mention of that entity wherever it recurs ("dem russischen
Staatschef"). Places and government seats that act ("Moskau wies ... zurück", "der Kreml betonte") keep
their label and get ``metonymy=True``; they are never merged into a person.
"""

from __future__ import annotations

import dataclasses
import gzip
import json
import pickle
import re
import threading
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Sequence
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, cast

from .. import registry
from ..errors import AnalyzeError
from ..model import Analysis, Entity
from ..modelcache import cached
from ..settings import Settings

if TYPE_CHECKING:
    from .e5tagger import E5Tagger

LABELS = ("PER", "ORG", "LOC", "OTH")
MODEL_FILE = "model.npz"  # the CRF's weights, exported from python-crfsuite by scripts/train_ner.py
E5_TAGGER_FILE = "tagger-e5.npz"  # multilingual-e5-small fine-tuned for names (scripts/finetune_ner.py)
GAZETTEER_FILE = "gazetteer.json.gz"
CLUSTERS_FILE = "clusters.npz"  # word-piece classes (PieceClusters), built with the model
MAX_TOKENS = 250  # longer sentences (or text without sentence ends) are tagged in windows of this size

# ---- tokens --------------------------------------------------------------------------------------------

# "U.S.", "z.B." | words with inner hyphens, ampersands, slashes, apostrophes before a capital ("O'Brien")
# and digit groups ("8,3", "2.800") | any other single character
_TOKEN = re.compile(
    r"['’]s(?!\w)"
    r"|(?:[^\W\d_]\.){2,}"
    r"|\w+(?:(?:[-‐‑&/+]|['’](?=[A-Z])|(?<=\d)[.,:](?=\d))\w+)*"
    r"|\S"
)


def tokenize(text: str, start: int = 0, end: int | None = None) -> list[tuple[int, int]]:
    """Token spans ``[start, end)`` into ``text``: words (hyphenated compounds stay whole) and punctuation."""
    return [m.span() for m in _TOKEN.finditer(text, start, len(text) if end is None else end)]


# ---- word lists ----------------------------------------------------------------------------------------

_WORDS_DE = """
    der die das den dem des ein eine einen einem einer eines und oder aber in im an am auf aus bei mit nach
    von vom zu zum zur für über unter vor hinter neben zwischen durch gegen ohne um seit bis als wie dass
"""
_DETERMINER_WORDS = """
    der die das den dem des ein eine einen einem einer eines sein seine seinen seinem seiner seines
    ihr ihre ihren ihrem ihrer ihres dieser diese dieses diesen diesem unser unsere the a an his her its their
    this that our
"""
_DETERMINERS = frozenset(_DETERMINER_WORDS.split())

_TITLES = """
    Herr Herrn Frau Dr Dr. Prof Prof. Mr Mr. Mrs Mrs. Ms Ms. Sir Dame Lord Lady Sankt St. Bischof Papst Pope
    König Königin King Queen Prinz Prinzessin Prince Princess Kardinal Pfarrer Scheich Sheikh Imam Rabbi
    Genosse Genossin
"""

# role nouns: the basis of description mentions and a strong PER context feature
_ROLES_DE = """
    Präsident Präsidentin Staatspräsident Staatspräsidentin Vizepräsident Vizepräsidentin Ministerpräsident
    Ministerpräsidentin Staatschef Staatschefin Regierungschef Regierungschefin Kanzler Kanzlerin
    Bundeskanzler Bundeskanzlerin Minister Ministerin Außenminister Außenministerin Verteidigungsminister
    Verteidigungsministerin Finanzminister Finanzministerin Innenminister Innenministerin Premierminister
    Premierministerin Premier Regierungssprecher Regierungssprecherin Sprecher Sprecherin Botschafter
    Botschafterin Generalsekretär Generalsekretärin Parteichef Parteichefin Vorsitzende Vorsitzender
    Parteivorsitzende Parteivorsitzender Amtskollege Amtskollegin Amtsvorgänger Amtsnachfolger Diktator
    Machthaber Herrscher Monarch Kaiser Bürgermeister Bürgermeisterin Oberbürgermeister Gouverneur
    Gouverneurin Senator Senatorin Abgeordnete Abgeordneter Analyst Analystin Experte Expertin Politologe
    Politologin Ökonom Ökonomin Direktor Direktorin Chef Chefin Gründer Gründerin Vorstandschef
    Vorstandschefin Trainer Trainerin Kommandeur General Oberst Admiral Richter Richterin Staatsanwalt
    Staatsanwältin Anwalt Anwältin Autor Autorin Journalist Journalistin Korrespondent Korrespondentin
    Wissenschaftler Wissenschaftlerin Professor Professorin Stipendiat Stipendiatin Mitarbeiter
    Mitarbeiterin Oppositionsführer Oppositionsführerin Außenamtssprecher Kremlsprecher Kremlchef
    Sicherheitsberater Sicherheitsberaterin Berater Beraterin Spitzenkandidat Spitzenkandidatin
"""
_ROLES_EN = """
    president vice-president prime minister premier chancellor minister secretary spokesman spokeswoman
    spokesperson ambassador leader chairman chairwoman chair governor mayor senator congressman
    congresswoman analyst expert director founder chief ceo general colonel admiral judge prosecutor
    lawyer author journalist correspondent professor fellow researcher envoy king queen dictator
    counterpart adviser advisor
"""
ROLE_WORDS: frozenset[str] = frozenset(w.lower() for w in (_ROLES_DE + _ROLES_EN).split())
# roles that name the same office: "der russische Präsident" may later be "der russische Staatschef"
_HEAD_ROLE_WORDS = """
    präsident präsidentin staatspräsident staatspräsidentin staatschef staatschefin regierungschef
    regierungschefin kanzler kanzlerin bundeskanzler bundeskanzlerin premier premierminister premierministerin
    ministerpräsident ministerpräsidentin amtskollege amtskollegin machthaber president leader counterpart
    premier chancellor
"""
_HEAD_ROLES = frozenset(_HEAD_ROLE_WORDS.split())
_NOT_NAME_WORDS = """
    montag dienstag mittwoch donnerstag freitag samstag sonntag januar februar märz april mai juni juli august
    september oktober november dezember monday tuesday wednesday thursday friday saturday sunday january
    february march june july october december
"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())

_ORG_HEADS = """
    AG GmbH KG SE eG e.V. Inc Inc. Ltd Ltd. Corp Corp. Co Co. LLC PLC plc SA S.A. NV N.V. Holding Group Gruppe
    Konzern Bank Partei Institut Institute Universität University College Stiftung Foundation Verband
    Verein Club Klub Zentrum Center Centre Ministerium Ministry Agentur Agency Rat Council Kommission
    Commission Gericht Court Bundesamt Behörde Gesellschaft Society Association Akademie Academy
    Organisation Organization Union Bund Botschaft Embassy Kirche Church Zeitung Times Post News Airlines
    Airways Motors Werke Bahn Team Fonds Fund Network Netzwerk Allianz Alliance Front Armee Army
    Streitkräfte Forces Polizei Police Parlament Parliament Regierung Government Department
    Strafgerichtshof Gerichtshof Nachrichtenagentur Sender Radio TV Fernsehen Museum Theater Orchester
"""

_FIRST_NAMES = """
    Adam Adrian Alexander Alexandra Alexei Alfred Ali Alice Andrea Andreas Andrew Angela Anna Anne Annalena
    Anton Armin Barack Barbara Benjamin Bernd Bill Boris Brigitte Carl Carlos Caroline Charles Christian
    Christina Christine Christoph Claudia Daniel David Dennis Diana Dieter Dmitri Dmitrij Donald Elena
    Elisabeth Elizabeth Emmanuel Emma Erich Erik Ernst Eva Fabian Felix Florian Frank Franz Friedrich
    Friedrich-Wilhelm Georg George Gerhard Hans Hans-Peter Hans-Joachim Harald Heiko Heinrich Heinz Helmut
    Hillary Horst Hubert Ingrid Jakob James Jan Jean Jens Jennifer Joachim Joe Johann Johannes John Jonas
    Jörg Josef Joseph Julia Julian Jürgen Kamala Karl Karin Katharina Kevin Klaus Kristina Lars Laura
    Lena Lisa Lukas Manfred Manuel Marco Maria Marie Mario Markus Marcus Martin Matthias Max Maximilian
    Michael Michelle Mike Nancy Nicolas Niklas Nikolai Nils Norbert Olaf Oliver Olga Pascal Patrick Paul
    Peter Petra Philipp Rainer Ralf Recep Robert Roland Rolf Ruth Sabine Sahra Sandra Sarah Sebastian
    Sergei Sergej Sigmar Silvia Simon Sophie Stefan Stephan Steffen Susanne Sven Thomas Thorsten Tim
    Tobias Tom Torsten Ulrich Ursula Uwe Viktor Vladimir Volker Walter Werner Wilhelm Wladimir Wolfgang
    Xi Yulia Julija Wolodymyr Volodymyr Jens Nguyen Kim Li Wang Zhang Narendra Shinzo Fumio Justin Rishi
    Keir Giorgia Pedro Ursula Antonio Mohammed Muhammad Ahmed Ahmad Hassan Hussein Abdullah Omar Yusuf
"""

_DE_FUNCTION_WORDS = frozenset(_WORDS_DE.split())


@lru_cache(maxsize=65536)
def fold(text: str) -> str:
    """Accent- and case-folded text: "Tô Lâm" -> "to lam", "Nguyễn" -> "nguyen", "Straße" -> "strasse"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss").replace("ẞ", "SS"))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.replace("đ", "d").replace("Đ", "D").replace("ø", "o").replace("ł", "l").casefold()


# ---- features ------------------------------------------------------------------------------------------


def _shape(word: str) -> str:
    out: list[str] = []
    for ch in word:
        kind = "X" if ch.isupper() else "x" if ch.isalpha() else "d" if ch.isdigit() else ch
        if not out or out[-1] != kind:
            out.append(kind)
    return "".join(out)[:8]


class Gazetteer:
    """Token-level gazetteer marks: ``marks(word)`` gives tags such as "LOC", "LOC+" (part of a longer name)."""

    def __init__(self, entries: dict[str, list[str]]) -> None:
        self.entries = entries

    @classmethod
    def load(cls, path: Path | None = None) -> Gazetteer:
        if path is None:
            path = _data_path(GAZETTEER_FILE)
        with gzip.open(path, "rt", encoding="utf-8") as handle:
            return cls(json.load(handle))

    def marks(self, word: str) -> list[str]:
        return self.entries.get(word, [])


_TITLE_WORDS = frozenset(_TITLES.split())
ORG_HEAD_WORDS = frozenset(_ORG_HEADS.split())
_FIRST_NAME_WORDS = frozenset(_FIRST_NAMES.split())


# HanTa's German and English lexicons (LGPL, read from the installed package): which words are proper
# nouns (NE / NP), common nouns, adjectives ... in its training corpora
_HANTA_MORPH_DE = frozenset({"NE", "NN", "ADJ", "ACR_NE", "ACR_NN", "FM", "NE_VAR", "NN_VAR", "ADJ_INVAR", "VV",
                             "VVnp", "ADV"})
_HANTA_MORPH_EN = frozenset({"NP", "NN", "AJ", "VV"})


def load_lexicon() -> dict[str, tuple[str, ...]]:
    """Word (lower-cased) -> lexicon marks from HanTa's models: "mNE" (a German proper-noun morpheme),
    "fNN" (a German word form whose likeliest tag is NN), "eNP" (an English proper noun) ...
    Read through the model cache: reading HanTa's two models takes about 1.5 s, the cached marks far less."""
    return cast(dict[str, tuple[str, ...]], cached("hanta-lexicon", "HanTa", _build_lexicon))


def _build_lexicon() -> dict[str, tuple[str, ...]]:
    try:
        import HanTa
    except ImportError as err:  # pragma: no cover - a declared dependency
        raise AnalyzeError("HanTa is not installed (pip install HanTa)") from err
    folder = Path(HanTa.__file__).parent
    marks: dict[str, set[str]] = defaultdict(set)
    for filename, prefix, keep in (("morphmodel_ger.pgz", "m", _HANTA_MORPH_DE),
                                   ("morphmodel_en.pgz", "e", _HANTA_MORPH_EN)):
        with gzip.open(folder / filename, "rb") as handle:
            model = pickle.load(handle)  # HanTa's own model format: a tuple of plain dicts
        int2tag = model[1]
        for tag, morphemes in model[7].items():
            name = int2tag.get(tag, "")
            if name in keep:
                for morpheme in morphemes:
                    marks[morpheme.lower()].add(prefix + name)
        if prefix == "m":
            for word, tags in model[15].items():
                best = max(tags, key=lambda pair: pair[1])[0]
                marks[word.lower()].add("f" + int2tag.get(best, "?"))
    return {word: tuple(sorted(m)) for word, m in marks.items()}


class PieceClusters:
    """Distributional word classes: a word's pieces under USE multilingual's sentencepiece model, and the
    k-means cluster (over the model's piece embeddings) of its first and last piece at a few granularities.
    Words that look alike to the embedding share classes, so the CRF generalises from the names it saw
    in training to names it did not; the number of pieces marks rare words (most names). Built by
    ``scripts/train_ner.py`` (``counterpoint/data/ner/clusters.npz``: one cluster id per piece and
    granularity)."""

    def __init__(self, ids: dict[str, Any]) -> None:
        self.ids = ids  # granularity ("k64") -> cluster of each piece id
        self._tokenizer: Any = None

    @classmethod
    def load(cls, path: Path | None = None) -> PieceClusters:
        import numpy as np

        with np.load(path or _data_path(CLUSTERS_FILE)) as data:
            return cls({k: data[k] for k in data.files})

    def features(self, word: str) -> list[str]:
        if self._tokenizer is None:
            from .embed import use_tokenizer

            self._tokenizer = use_tokenizer()
        pieces = self._tokenizer.encode([word], add_bos=False, add_eos=False)[0]
        if not pieces:
            return []
        out = [f"np={min(len(pieces), 4)}"]
        for k, table in self.ids.items():
            out.append(f"f{k}={table[pieces[0]]}")
            out.append(f"l{k}={table[pieces[-1]] if len(pieces) > 1 else 'one'}")
        return out


class Featurizer:
    """Token features for the CRF; per-word features are cached, so a long article costs little more."""

    def __init__(self, gazetteer: Gazetteer, lexicon: dict[str, tuple[str, ...]] | None = None,
                 clusters: PieceClusters | None = None) -> None:
        self.gazetteer = gazetteer
        self.lexicon = lexicon or {}
        self.clusters = clusters
        self._cache: dict[tuple[str, bool], tuple[list[str], list[str], list[str], list[str], list[str]]] = {}
        self._id_cache: dict[Any, Any] = {}

    def _word(self, word: str, english: bool) -> tuple[list[str], list[str], list[str], list[str], list[str]]:
        key = (word, english)
        hit = self._cache.get(key)
        if hit is not None:
            return hit
        lower = word.lower()
        shape = _shape(word)
        first = word[:1]
        cap = first.isupper()
        own = ["w=" + lower, "s=" + shape, "x3=" + lower[-3:], "x4=" + lower[-4:]]
        if cap:
            own.append("cap")
            if word.isupper() and len(word) > 1:
                own.append("allcap")
            if english:
                own.append("en:cap")
        if "-" in word and len(word) > 1:
            parts = word.split("-")
            own.append("h0=" + parts[0].lower())
            own.append("h1=" + parts[-1].lower())
            own.append("h1x3=" + parts[-1].lower()[-3:])
            for mark in self.gazetteer.marks(parts[0]):
                own.append("hg0=" + mark)
            for mark in self.gazetteer.marks(parts[-1]):
                own.append("hg1=" + mark)
        gaz = list(self.gazetteer.marks(word))
        lex = self.lexicon.get(lower, ())
        gaz.extend(lex)
        if cap and len(word) > 3 and word[-1] == "s":
            gaz.extend("gen-" + m for m in self.lexicon.get(lower[:-1], ()) if m[1:] in ("NE", "NP"))
        if cap and not lex and len(word) >= 7 and word.isalpha():
            for cut in range(3, len(lower) - 3):
                head = self.lexicon.get(lower[cut:])
                if head:
                    gaz.extend("head-" + m for m in head if m[0] == "m")
                    break
        if len(word) > 3 and word[-1] == "s" and cap:
            gaz.extend("gen-" + m for m in self.gazetteer.marks(word[:-1]))
        if word in _TITLE_WORDS:
            gaz.append("TITLE")
        if lower in ROLE_WORDS:
            gaz.append("ROLE")
        if word in ORG_HEAD_WORDS or (cap and lower in _ORG_SUFFIX_LOWER):
            gaz.append("ORGHEAD")
        elif cap and any(lower.endswith(s) for s in _ORG_SUFFIX_ENDINGS):
            gaz.append("ORGEND")
        if word in _FIRST_NAME_WORDS:
            gaz.append("FIRST")
        if lower in _DE_FUNCTION_WORDS:
            gaz.append("FUNC")
        own.extend("g=" + g for g in gaz)
        # German only: GermEval's OTH names are often English titles, so on English text the classes of
        # plain English words would read as names
        classes = self.clusters.features(word) if self.clusters is not None and not english else []
        own.extend(classes)
        # what the neighbours see of this word
        near = ["w=" + lower, "s=" + shape, *("g=" + g for g in gaz), *(c for c in classes if not c.startswith("np="))]
        if english and cap:
            near.append("en:cap")
        far = ["w=" + lower]
        result = (
            own,
            ["-1:" + f for f in near],
            ["+1:" + f for f in near],
            ["-2:" + f for f in far],
            ["+2:" + f for f in far],
        )
        if len(self._cache) > 200_000:
            self._cache.clear()
        self._cache[key] = result
        return result

    def sequence_ids(self, words: Sequence[str], english: bool, index: dict[str, int], flat: list[int],
                     offsets: list[int]) -> None:
        """Append the attribute ids of ``sequence(words)`` to ``flat`` (one offset per token); unknown ids are 0."""
        cache = self._id_cache
        if cache.get("\0index") is not index:
            cache.clear()
            cache["\0index"] = index
        feats = []
        for w in words:
            key = (w, english)
            ids = cache.get(key)
            if ids is None:
                get = index.get
                ids = tuple([get(f, 0) for f in part] for part in self._word(w, english))
                if len(cache) > 200_000:
                    cache.clear()
                    cache["\0index"] = index
                cache[key] = ids
            feats.append(ids)
        get = index.get
        bias, bos, bos1, eos = get("b", 0), get("BOS", 0), get("BOS+1", 0), get("EOS", 0)
        n = len(words)
        for i in range(n):
            offsets.append(len(flat))
            flat.append(bias)
            flat.extend(feats[i][0])
            if i == 0:
                flat.append(bos)
            else:
                flat.extend(feats[i - 1][1])
                flat.append(get("bi=" + words[i - 1].lower() + "|" + words[i].lower(), 0))
                if i == 1:
                    flat.append(bos1)
            if i >= 2:
                flat.extend(feats[i - 2][3])
            if i + 1 < n:
                flat.extend(feats[i + 1][2])
            else:
                flat.append(eos)
            if i + 2 < n:
                flat.extend(feats[i + 2][4])

    def sequence(self, words: Sequence[str], english: bool = False) -> list[list[str]]:
        feats = [self._word(w, english) for w in words]
        n = len(words)
        out = []
        for i in range(n):
            f = ["b", *feats[i][0]]
            if i == 0:
                f.append("BOS")
            else:
                f.extend(feats[i - 1][1])
                f.append("bi=" + words[i - 1].lower() + "|" + words[i].lower())
                if i == 1:
                    f.append("BOS+1")
            if i >= 2:
                f.extend(feats[i - 2][3])
            if i + 1 < n:
                f.extend(feats[i + 1][2])
            else:
                f.append("EOS")
            if i + 2 < n:
                f.extend(feats[i + 2][4])
            out.append(f)
        return out


_ORG_SUFFIX_LOWER = frozenset(w.lower() for w in _ORG_HEADS.split())
_ORG_SUFFIX_ENDINGS = (
    "partei", "institut", "verband", "bank", "gruppe", "konzern", "ministerium", "agentur", "stiftung",
    "gesellschaft", "universität", "zentrum", "botschaft", "kommission", "gericht", "gerichtshof", "werke",
    "behörde", "amt", "zeitung", "verein", "akademie", "armee",
)


# ---- the model -----------------------------------------------------------------------------------------


def _data_path(name: str) -> Path:
    return Path(str(resources.files("counterpoint") / "data" / "ner" / name))


_LOCK = threading.Lock()
_LOADED: dict[str, Any] = {}


class LinearChainCRF:
    """Viterbi decoding of a linear-chain CRF trained by python-crfsuite, in numpy (no crfsuite at run time).

    ``weights[i]`` are the state weights of attribute ``attributes[i]`` per label (row 0: unknown
    attributes, all zero); ``transitions[a, b]`` the weight of label ``a`` followed by ``b``. Scores are
    summed exactly as crfsuite sums them, so the tags are crfsuite's.
    """

    def __init__(self, attributes: Sequence[str], labels: Sequence[str], weights: Any, transitions: Any) -> None:
        import numpy as np

        self.index = {a: i for i, a in enumerate(attributes)}
        self.labels = list(labels)
        self.weights = np.asarray(weights, dtype=np.float32)
        self.transitions = np.asarray(transitions, dtype=np.float32)

    @classmethod
    def load(cls, path: Path) -> LinearChainCRF:
        import numpy as np

        with np.load(path, allow_pickle=False) as data:
            attributes = str(data["attributes"]).split("\n")
            labels = str(data["labels"]).split("\n")
            return cls(attributes, labels, data["weights"], data["transitions"])

    def save(self, path: Path) -> None:
        import numpy as np

        attributes = sorted(self.index, key=self.index.__getitem__)
        np.savez_compressed(path, attributes=np.array("\n".join(attributes)), labels=np.array("\n".join(self.labels)),
                            weights=self.weights, transitions=self.transitions)

    @classmethod
    def from_crfsuite(cls, path: Path) -> LinearChainCRF:
        """The model crfsuite wrote."""
        import numpy as np
        import pycrfsuite

        tagger = pycrfsuite.Tagger()
        tagger.open(str(path))
        info = tagger.info()
        labels = sorted(tagger.labels(), key=lambda label: int(info.labels[label]))
        at = {label: i for i, label in enumerate(labels)}
        attributes = ["", *sorted({a for a, _ in info.state_features})]
        index = {a: i for i, a in enumerate(attributes)}
        weights = np.zeros((len(attributes), len(labels)), dtype=np.float32)
        for (attribute, label), weight in info.state_features.items():
            weights[index[attribute], at[label]] = weight
        transitions = np.zeros((len(labels), len(labels)), dtype=np.float32)
        for (a, b), weight in info.transitions.items():
            transitions[at[a], at[b]] = weight
        return cls(attributes, labels, weights, transitions)

    def tag(self, sequence: Sequence[Sequence[str]]) -> list[str]:
        return self.tag_many([sequence])[0]

    def tag_many(self, sequences: Sequence[Sequence[Sequence[str]]]) -> list[list[str]]:
        """Tag several sequences at once: one Viterbi pass over all of them, in lock-step."""
        get = self.index.get
        flat: list[int] = []
        offsets: list[int] = []
        for seq in sequences:
            for features in seq:
                offsets.append(len(flat))
                flat.extend([get(f, 0) for f in features] or [0])
        return self.decode(flat, offsets, [len(seq) for seq in sequences])

    def decode(self, flat: list[int], offsets: list[int], lengths: list[int]) -> list[list[str]]:
        """Viterbi over sequences given as attribute ids (``flat``), a token starting at each offset."""
        import numpy as np

        if not any(lengths):
            return [[] for _ in lengths]
        scores = np.add.reduceat(np.take(self.weights, np.asarray(flat, dtype=np.intp), axis=0), offsets, axis=0)
        starts = np.cumsum([0, *lengths[:-1]])
        # longest first, so the sequences still running at step i are a prefix of the batch
        order = sorted(range(len(lengths)), key=lambda b: -lengths[b])
        longest = lengths[order[0]]
        n_labels = len(self.labels)
        states = np.zeros((longest, len(order), n_labels), dtype=np.float32)
        running = [0] * longest  # how many sequences are still running at each step
        for rank, b in enumerate(order):
            length = lengths[b]
            states[:length, rank] = scores[starts[b] : starts[b] + length]
            for i in range(length):
                running[i] = rank + 1
        back = np.zeros((longest, len(order), n_labels), dtype=np.intp)
        score = states[0, : running[0]].copy()
        finals = np.zeros((len(order), n_labels), dtype=np.float32)
        transitions = self.transitions[None, :, :]
        for i in range(1, longest):
            k = running[i]
            if k < running[i - 1]:  # sequences that ended at i - 1
                finals[k : running[i - 1]] = score[k : running[i - 1]]
            candidates = score[:k, :, None] + transitions  # (running, previous, next)
            back[i, :k] = candidates.argmax(axis=1)
            score = candidates.max(axis=1) + states[i, :k]
        finals[: running[longest - 1]] = score
        out: list[list[str]] = [[] for _ in lengths]
        names = self.labels
        for rank, b in enumerate(order):
            length = lengths[b]
            if not length:
                continue
            label = int(finals[rank].argmax())
            path = [label]
            for i in range(length - 1, 0, -1):
                label = int(back[i, rank, label])
                path.append(label)
            out[b] = [names[k] for k in reversed(path)]
        return out


MODELS = {"crf": MODEL_FILE, "e5": E5_TAGGER_FILE}  # the shipped taggers, by the name EntityRecognizer takes


def _tagger() -> tuple[LinearChainCRF, Featurizer]:
    """The shipped CRF and its featurizer, loaded once per process (on first use, never at import)."""
    with _LOCK:
        if "tagger:crf" not in _LOADED:
            path = _data_path(MODEL_FILE)
            if not path.is_file():
                raise AnalyzeError(f"the NER model is missing ({path}); run scripts/train_ner.py")
            _LOADED["tagger:crf"] = LinearChainCRF.load(path)
            clusters = PieceClusters.load() if _data_path(CLUSTERS_FILE).is_file() else None
            _LOADED["featurizer"] = Featurizer(Gazetteer.load(), load_lexicon(), clusters)
        return _LOADED["tagger:crf"], _LOADED["featurizer"]


def _e5_tagger() -> E5Tagger:
    """The fine-tuned e5 tagger, loaded once per process (on first use, never at import)."""
    from .e5tagger import E5Tagger

    with _LOCK:
        if "tagger:e5" not in _LOADED:
            path = _data_path(E5_TAGGER_FILE)
            if not path.is_file():
                raise AnalyzeError(f"the NER model is missing ({path}); run scripts/finetune_ner.py")
            _LOADED["tagger:e5"] = E5Tagger(path)
        return _LOADED["tagger:e5"]


def _tag(sentences: Sequence[Sequence[str]], english: bool, model: str = "crf") -> list[list[str]]:
    """BIO tags of each sentence of words from the named model (``MODELS``)."""
    if model not in MODELS:
        raise AnalyzeError(f"unknown entity model {model!r} (known: {', '.join(MODELS)})")
    if model == "e5":
        return _e5_tagger().tag(sentences)
    tagger, featurizer = _tagger()
    flat: list[int] = []
    offsets: list[int] = []
    for words in sentences:
        featurizer.sequence_ids(words, english, tagger.index, flat, offsets)
    return tagger.decode(flat, offsets, [len(words) for words in sentences])


def _places() -> dict[str, str]:
    """Folded names of countries, capitals and large cities -> ISO country code (shipped with the model)."""
    with _LOCK:
        if "places" not in _LOADED:
            path = _data_path("places.json")
            _LOADED["places"] = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
        return _LOADED["places"]


def tag_tokens(words: Sequence[str], language: str | None = "de", model: str = "crf") -> list[str]:
    """BIO tags (GermEval's 12 classes) for one sentence of tokens."""
    if not words:
        return []
    english = (language or "").lower().startswith("en")
    chunks = [list(words[i : i + MAX_TOKENS]) for i in range(0, len(words), MAX_TOKENS)]
    return [tag for tags in _tag(chunks, english, model) for tag in tags]


def bio_spans(tags: Sequence[str]) -> list[tuple[int, int, str]]:
    """``(first_token, end_token, label)`` for each span in a BIO sequence; a stray I- opens a span."""
    spans = []
    start, label = -1, ""
    for i, tag in enumerate([*tags, "O"]):
        if tag == "O" or tag.startswith("B-") or (tag.startswith("I-") and tag[2:] != label):
            if start >= 0:
                spans.append((start, i, label))
            start, label = (i, tag[2:]) if tag != "O" else (-1, "")
    return spans


# ---- recognition in an article -------------------------------------------------------------------------


@dataclasses.dataclass
class _Mention:
    start: int
    end: int
    label: str
    kind: str = "name"
    metonymy: bool = False
    entity: int = -1


def recognize(text: str, sentences: Iterable[tuple[int, int]], language: str | None = "de",
              model: str = "crf") -> list[_Mention]:
    """Name mentions (4 labels; deriv/part dropped), sorted, non-overlapping, token-aligned."""
    mentions: list[_Mention] = []
    english = (language or "").lower().startswith("en")
    places = _places()
    pieces: list[tuple[list[tuple[int, int]], list[str]]] = []
    for s_start, s_end in sentences:
        toks = tokenize(text, s_start, s_end)
        for i in range(0, len(toks), MAX_TOKENS):
            chunk = toks[i : i + MAX_TOKENS]
            pieces.append((chunk, [text[a:b] for a, b in chunk]))
    if not pieces:
        return mentions
    tagged: list[list[str]] = []
    for i in range(0, len(pieces), 256):  # batches keep the padded Viterbi arrays small
        tagged.extend(_tag([words for _, words in pieces[i : i + 256]], english, model))
    for (toks, words), tags in zip(pieces, tagged, strict=True):
        for first, end, label in bio_spans(tags):
            if label not in LABELS:
                continue
            if model == "e5":  # the fine-tuned tagger needs none of the CRF's repairs below
                mentions.append(_Mention(toks[first][0], toks[end - 1][1], label))
                continue
            parts = _split(words, first, end, label)
            if len(parts) > 1:  # a span the tagger ran through lower-case words: keep its names only
                for first, end in parts:
                    first, end = _trim(words, first, end, label, english)
                    if first < end:
                        start, stop = toks[first][0], toks[end - 1][1]
                        if fold(text[start:stop]) in places:
                            mentions.append(_Mention(start, stop, "LOC"))
                        elif label != "OTH":
                            mentions.append(_Mention(start, stop, label))
                continue
            first, end = _trim(words, *parts[-1], label, english)
            if label == "PER" and first < end and end < len(words) and _unknown_name_part(words[end], english):
                end += 1  # "Nguyen Phu Trong" tagged up to "Phu": an unknown capitalised word goes on the name
            for i in range(first + 1, end - 1):  # "Generalsekretär der Kommunistischen Partei Nguyen Phu Trong"
                if label in ("ORG", "LOC") and words[i] in _FIRST_NAME_WORDS and words[i - 1] in ORG_HEAD_WORDS:
                    mentions.append(_Mention(toks[first][0], toks[i - 1][1], label))
                    first, label = i, "PER"
                    break
            if first < end:
                start, stop = toks[first][0], toks[end - 1][1]
                if label != "LOC" and fold(text[start:stop]) in places:
                    label = "LOC"  # a country or capital the tagger took for a person ("Seoul", "Hanoi")
                elif label != "PER" and first > 0 and _role_lemma(words[first - 1]) and words[first - 1][0].isupper():
                    label = "PER"  # "den Präsidenten To Lam"
                elif (label == "LOC" or (label == "PER" and end - first == 1)) and first > 0 and \
                        words[first - 1].lower().endswith(_ORG_CONTEXT_ENDINGS):
                    label = "ORG"  # "des Militärinformationsdienstes Janes", "der Nachrichtenagentur Interfax"
                mentions.append(_Mention(start, stop, label))
    mentions.sort(key=lambda m: (m.start, m.end))
    return _add_state_bodies(text, mentions, places)


_ORG_CONTEXT_ENDINGS = tuple(
    stem + ending
    for stem in ("dienst", "agentur", "zeitung", "sender", "konzern", "unternehmen", "firma", "partei", "institut",
                 "gruppe", "verlag", "magazin", "portal", "plattform", "netzwerk", "verband", "hersteller")
    for ending in ("", "s", "es")
)


# "US-Botschaft", "EU-Kommission": a country (or union) and a body of its state are an organisation
_STATE_BODY = re.compile(
    r"(?<![\w-])([A-ZÄÖÜ][\wäöüß]*)-(Botschaft|Regierung|Ministerium|Außenministerium|Verteidigungsministerium|"
    r"Konsulat|Armee|Streitkräfte|Marine|Luftwaffe|Notenbank|Zentralbank|Parlament|Senat|Kongress|Kommission|"
    r"Behörden|Militär|Justiz|Geheimdienst|Präsidialamt|Außenamt)(?![\w-])")


def _add_state_bodies(text: str, mentions: list[_Mention], places: dict[str, str]) -> list[_Mention]:
    covered = [(m.start, m.end) for m in mentions]
    added = []
    for match in _STATE_BODY.finditer(text):
        start, end = match.span()
        if fold(match.group(1)) not in places and match.group(1) not in ("EU", "UN", "UNO", "Nato", "NATO"):
            continue
        if any(a < end and start < b for a, b in covered):
            continue
        added.append(_Mention(start, end, "ORG"))
    if not added:
        return mentions
    return sorted([*mentions, *added], key=lambda m: (m.start, m.end))


_CONNECTOR_WORDS = """
    of the for and de du des la le von van der den zu für und am an in on al bin da di del y e & - / .
"""
_CONNECTORS = frozenset(_CONNECTOR_WORDS.split())


def _split(words: Sequence[str], first: int, end: int, label: str) -> list[tuple[int, int]]:
    """A span stops at an inner lower-case content word: "Putin 's first trip to Vietnam" -> two parts."""
    parts = []
    start = first
    for i in range(first + 1, end):
        word = words[i]
        if (word[:1].islower() and word.isalpha() and word not in _CONNECTORS) or word in (",", ";", "(", ")") or (
                label != "ORG" and word in ("und", "and")):
            parts.append((start, i))
            start = i + 1
    parts.append((start, end))
    return [p for p in parts if p[0] < p[1]] or [(first, first)]


def _unknown_name_part(word: str, english: bool) -> bool:
    """A capitalised word HanTa's lexicon does not know in any reading and no gazetteer lists as a name of
    its own (being part of a longer place name, "CITY+", is allowed): after a person's name it is most
    likely the rest of the name (foreign names the tagger cut short)."""
    if english or not word[:1].isupper() or not word.isalpha() or len(word) < 2:
        return False
    lexicon = _LOADED["featurizer"].lexicon if "featurizer" in _LOADED else {}
    gazetteer = _LOADED["featurizer"].gazetteer if "featurizer" in _LOADED else None
    lower = word.lower()
    whole = [m for m in gazetteer.marks(word) if not m.endswith("+")] if gazetteer else []
    return lower not in lexicon and lower not in _NOT_NAMES and not whole


def _trim(words: Sequence[str], first: int, end: int, label: str, english: bool) -> tuple[int, int]:
    """Cut what a name never starts or ends with: lower-case words, punctuation, weekdays, a trailing
    common noun after a genitive ("Putins Abreise"); a span stops at an inner lower-case content word
    ("Putin is expected to ...")."""
    def plain(word: str) -> bool:
        return not word[:1].isupper() or word.lower() in _NOT_NAMES

    while first < end and plain(words[first]):
        first += 1
    while end > first and plain(words[end - 1]):
        end -= 1
    lexicon = _LOADED["featurizer"].lexicon if "featurizer" in _LOADED else {}
    if english and end - first == 1:  # "Analysts", "Russian": a common word or a nationality adjective
        lower = words[first].lower()
        marks = lexicon.get(lower, ()) or lexicon.get(lower[:-1], ()) if lower.endswith("s") else lexicon.get(
            lower, ())
        if "eAJ" in marks and lower.endswith(("an", "ese", "ish", "ch")):
            return first, first
        if marks and not any(m in ("eNP", "mNE", "fNE") for m in marks) and any(
                m in ("eNN", "eAJ") for m in marks):
            return first, first
    if label in ("PER", "LOC") and end - first == 2 and words[first].endswith("s"):
        marks = lexicon.get(words[end - 1].lower(), ())
        if "fNN" in marks and not any(m.endswith(("NE", "NP")) for m in marks):
            end -= 1
    return first, end


def _sentence_spans(analysis: Analysis) -> list[tuple[int, int]]:
    if analysis.sentences:
        return [(s.start, s.end) for s in analysis.sentences]
    text = analysis.article.text
    spans, offset = [], 0
    for line in text.split("\n"):
        if line.strip():
            spans.append((offset, offset + len(line)))
        offset += len(line) + 1
    return spans


# ---- linking, descriptions, metonymy -------------------------------------------------------------------

_GENITIVE = ("'s", "’s", "'", "’")
# seats of government that stand for it ("der Kreml", "das Weiße Haus")
GOVERNMENT_SEATS = frozenset({
    "kreml", "kremlin", "weisse haus", "weissen haus", "weissen hauses", "white house", "pentagon", "elysee",
    "elysee-palast", "downing street", "zhongnanhai", "kanzleramt", "quai d'orsay", "blaue haus", "blue house",
    "capitol", "kapitol", "foggy bottom", "vatikan", "vatican", "bundeskanzleramt",
})
# tokens after which a name opens a clause (its subject may follow)
_CLAUSE_OPENER_WORDS = """
    , ; : . ! ? … – - und and oder or aber but dass daß that da weil because ob whether wenn when als as nachdem after
    während while obwohl although „ " “ » « ( denn
"""
_CLAUSE_OPENERS = frozenset(_CLAUSE_OPENER_WORDS.split())
_SPEECH_PREFIXES = ("sagte", "sagt", "erklärte", "erklärt", "betonte", "betont", "warnte", "warnt", "said", "says")
# finite verbs of saying and acting (German: stems matched as prefixes of lower-case tokens)
_ACTION_STEMS_DE = (
    "sag", "erklär", "beton", "forder", "kritisier", "warn", "unterzeichn", "einig", "versuch", "will", "woll",
    "reagier", "droh", "verurteil", "kündig", "lehn", "wies", "weist", "bot", "biet", "unterhält", "unterhalt",
    "erhofft", "hofft", "verhandel", "liefer", "schick", "protestier", "beschuldig", "warf", "wirft",
    "dementier", "bestätig", "verkünd", "anerkenn", "erkenn", "verlang", "plant", "beschloss", "beschließ",
    "entschied", "entscheid", "vereinbar", "stimmt", "teilt", "verhängt", "verhäng", "drängt", "appellier",
    "signalisier", "bezeichn", "hat", "habe", "wird", "werde", "würde", "soll", "kann", "könn", "muss", "müss",
    "erteil", "gewähr", "unterstütz", "lobt", "begrüß", "schloss", "schließ", "zeigt", "setzt", "stellt",
    "sieht", "sah", "hielt", "hält", "gab", "gibt", "nannt", "nennt", "reist", "sandt", "sendet", "bestreit",
    "bestritt", "leugn", "verweiger", "zog", "zieht", "rief", "ruft", "antwortet", "mahnt", "bekräftig",
    "sicherte", "sichert", "blockier", "investier", "hofiert", "umwirbt", "unterhielt", "erhebt", "erhob",
)
_ACTION_EN = """
    said says warned warns accused accuses announced announces criticised criticized criticises criticizes
    signed signs agreed agrees denied denies rejected rejects urged urges demanded demands wants wanted has
    have had will would sent sends threatened threatens insisted insists responded responds fumes fumed
    condemned condemns imposed imposes sanctioned pledged pledges promised promises hopes hoped seeks sought
    tried tries is was called calls hit struck blamed blames backed backs welcomed welcomes vowed vows
    told tells asked asks claimed claims refused refuses plans planned may might can could should must
"""
_ACTION_WORDS_EN = frozenset(_ACTION_EN.split())


def _is_action(word: str) -> bool:
    if not word[:1].islower():
        return False
    return word in _ACTION_WORDS_EN or word.startswith(_ACTION_STEMS_DE)


@lru_cache(maxsize=65536)
def _role_lemma(word: str) -> str | None:
    lower = word.lower()
    for cut in ("", "n", "en", "s", "es", "e"):
        if lower.endswith(cut) and lower[: len(lower) - len(cut)] in ROLE_WORDS:
            return lower[: len(lower) - len(cut)]
    return None


def _adjective_stem(word: str) -> str | None:
    """A word that can qualify a role noun: a German lower-case adjective, an English nationality word."""
    lower = word.lower()
    if not word.isalpha() or lower in _DETERMINERS or lower in _DE_FUNCTION_WORDS or len(word) < 3:
        return None
    if word[0].islower():
        for ending in ("en", "em", "er", "es", "e"):
            if lower.endswith(ending) and len(lower) - len(ending) >= 3:
                return lower[: -len(ending)]
        return lower
    if lower.endswith(("an", "ese", "ish", "ian", "ch", "i")):  # Russian, Vietnamese, British, French, Thai
        return lower
    return None


@dataclasses.dataclass
class _Description:
    start: int
    end: int
    adjectives: tuple[str, ...]
    role: str
    entity: int = -1


class _Tokens:
    """The article's tokens with lookups from character offsets."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.spans = tokenize(text)
        self.by_start = {s: i for i, (s, _) in enumerate(self.spans)}
        self.by_end = {e: i for i, (_, e) in enumerate(self.spans)}

    def word(self, i: int) -> str:
        if 0 <= i < len(self.spans):
            a, b = self.spans[i]
            return self.text[a:b]
        return ""

    def same_line(self, i: int, j: int) -> bool:
        """Whether tokens ``i`` and ``j`` both exist and no line break lies between them."""
        lo, hi = sorted((i, j))
        if lo < 0 or hi >= len(self.spans):
            return False
        return "\n" not in self.text[self.spans[lo][0] : self.spans[hi][1]]


def _key_tokens(text: str, known: set[str]) -> tuple[str, ...]:
    """Folded tokens of a name; a genitive ("Putins", "Putin's") loses its -s when the bare form is known."""
    words = fold(text).replace("’", "'").split()
    if not words:
        return ()
    last = words[-1]
    for suffix in ("'s", "'"):
        if last.endswith(suffix) and len(last) > len(suffix):
            last = last[: -len(suffix)]
            break
    else:
        if last.endswith("s") and last[:-1] in known and len(words) <= 2:
            last = last[:-1]
    words[-1] = last
    while words and words[0] in _DETERMINERS:
        words.pop(0)
    return tuple(words)


def _propagate(text: str, tokens: _Tokens, mentions: list[_Mention]) -> list[_Mention]:
    """Add repeats of found names that the tagger missed elsewhere in the article ("Lam", "Putins")."""
    forms: dict[tuple[str, ...], str] = {}
    for m in mentions:
        first, last = tokens.by_start.get(m.start), tokens.by_end.get(m.end)
        if first is None or last is None:
            continue
        words = tuple(tokens.word(i) for i in range(first, last + 1))
        forms.setdefault(words, m.label)
        if m.label == "PER" and len(words) > 1 and len(words[-1]) >= 3 and words[-1][0].isupper():
            forms.setdefault(words[-1:], "PER")
    if not forms:
        return mentions
    heads: dict[str, list[tuple[tuple[str, ...], str]]] = defaultdict(list)
    for words, label in forms.items():
        if len(words[0]) >= 2 and words[0][0].isupper() and len("".join(words)) >= 3:
            heads[words[0]].append((words, label))
            if len(words) == 1:
                heads[words[0] + "s"].append(((words[0] + "s",), label))  # the German genitive
    covered = bytearray(len(text) + 1)
    for m in mentions:
        covered[m.start : m.end] = b"\x01" * (m.end - m.start)
    added = []
    spans = tokens.spans
    for i, (a, _) in enumerate(spans):
        candidates = heads.get(text[a : spans[i][1]])
        if not candidates or covered[a]:
            continue
        for words, label in sorted(candidates, key=lambda c: -len(c[0])):
            n = len(words)
            if i + n > len(spans) or any(tokens.word(i + k) != words[k] for k in range(1, n)):
                continue
            end = spans[i + n - 1][1]  # an English possessive ("'s") stays outside, as the tagger leaves it
            if any(covered[a:end]):
                continue
            added.append(_Mention(a, end, label))
            covered[a:end] = b"\x01" * (end - a)
            break
    return sorted([*mentions, *added], key=lambda m: (m.start, m.end))


def _link(text: str, mentions: list[_Mention]) -> list[list[_Mention]]:
    """Group mentions into entities: PER by surname / name parts, other labels by identical folded name."""
    known = {w for m in mentions for w in fold(text[m.start : m.end]).split()}
    keys = [_key_tokens(text[m.start : m.end], known) for m in mentions]
    # one label per name: the majority label of its mentions
    votes: dict[tuple[str, ...], Counter[str]] = defaultdict(Counter)
    for m, key in zip(mentions, keys, strict=True):
        votes[key][m.label] += 1
    places = _places()
    for m, key in zip(mentions, keys, strict=True):
        m.label = votes[key].most_common(1)[0][0]
        # "To Lam" (tagged LOC) when "Lam" is a person here: a person
        if m.label != "PER" and 1 < len(key) <= 4 and " ".join(key) not in places and key[-1] not in places:
            surname = votes.get(key[-1:])
            if surname and surname.most_common(1)[0][0] == "PER":
                m.label = "PER"
    clusters: list[list[_Mention]] = []
    names: list[tuple[str, ...]] = []  # the longest key of each cluster
    order = sorted(range(len(mentions)), key=lambda i: (-len(keys[i]), mentions[i].start))
    for i in order:
        m, key = mentions[i], keys[i]
        if not key:
            continue
        match = -1
        for c, name in enumerate(names):
            if clusters[c][0].label != m.label:
                continue
            if key == name or (m.label == "PER" and key[-1] == name[-1] and set(key) <= set(name)):
                match = c
                break
        if match < 0 and len(key) == 1 and (m.label == "PER" or key[0] not in _places()):
            # "Jang" for "Jang Ho-jin", whatever the tagger called it (but a place stays a place)
            people = [c for c, name in enumerate(names)
                      if clusters[c][0].label == "PER" and len(name) > 1 and key[0] in (name[0], name[-1])]
            if len(people) == 1:
                match = people[0]
                m.label = "PER"
        if match < 0:
            clusters.append([m])
            names.append(key)
        else:
            clusters[match].append(m)
    return clusters


def _descriptions(tokens: _Tokens, mentions: list[_Mention]) -> list[_Description]:
    """Role descriptions tied to a person: "der russische Präsident Wladimir Putin", "X, der Botschafter"."""
    found = []
    for m in mentions:
        if m.label != "PER" or m.entity < 0:
            continue
        first = tokens.by_start.get(m.start)
        last = tokens.by_end.get(m.end)
        if first is not None:  # before the name
            d = _description_ending_at(tokens, first - 1)
            if d is not None:
                d.entity = m.entity
                found.append(d)
        if last is not None and tokens.word(last + 1) == "," and tokens.same_line(last, last + 2):
            d = _description_starting_at(tokens, last + 2)
            if d is not None:
                d.entity = m.entity
                found.append(d)
    return found


def _description_ending_at(tokens: _Tokens, j: int, need_determiner: bool = False) -> _Description | None:
    role = _role_lemma(tokens.word(j))
    if role is None or j < 0:
        return None
    adjectives: list[str] = []
    i = j - 1
    while len(adjectives) < 2 and i >= 0 and tokens.same_line(i, j):
        stem = _adjective_stem(tokens.word(i))
        if stem is None:
            break
        adjectives.insert(0, stem)
        i -= 1
    start = i + 1
    if i >= 0 and tokens.word(i).lower() in _DETERMINERS and tokens.same_line(i, j):
        start = i
    elif need_determiner:
        return None
    return _Description(tokens.spans[start][0], tokens.spans[j][1], tuple(adjectives), role)


def _description_starting_at(tokens: _Tokens, i: int) -> _Description | None:
    if tokens.word(i).lower() not in _DETERMINERS:
        return None
    j = i + 1
    while j <= i + 3 and _role_lemma(tokens.word(j)) is None:
        if _adjective_stem(tokens.word(j)) is None:
            return None
        j += 1
    if _role_lemma(tokens.word(j)) is None:
        return None
    return _description_ending_at(tokens, j, need_determiner=True)


def _recurring_descriptions(tokens: _Tokens, tied: list[_Description], names: bytearray) -> list[_Description]:
    """Later descriptions without a name ("dem russischen Staatschef") that point to exactly one person."""
    if not tied:
        return []
    by_key: dict[tuple[tuple[str, ...], str], set[int]] = defaultdict(set)
    by_adjectives: dict[tuple[str, ...], set[int]] = defaultdict(set)
    for d in tied:
        by_key[(d.adjectives, d.role)].add(d.entity)
        if d.adjectives and d.role in _HEAD_ROLES:
            by_adjectives[d.adjectives].add(d.entity)
    taken = {(d.start, d.end) for d in tied}
    found = []
    for j, (a, b) in enumerate(tokens.spans):
        if b - a < 4 or _role_lemma(tokens.text[a:b]) is None:
            continue
        found_d = _description_ending_at(tokens, j, need_determiner=True)
        if found_d is None or (found_d.start, found_d.end) in taken or any(names[found_d.start : found_d.end]):
            continue
        d = found_d
        nxt = tokens.spans[j + 1][0] if j + 1 < len(tokens.spans) else -1
        if nxt >= 0 and names[nxt]:
            continue  # a description before a name the tagger found: tied already (or another person's)
        candidates = by_key.get((d.adjectives, d.role)) or (
            by_adjectives.get(d.adjectives, set()) if d.role in _HEAD_ROLES else set())
        if len(candidates) == 1:
            d.entity = next(iter(candidates))
            found.append(d)
    return found


def _is_actor(tokens: _Tokens, m: _Mention, mentions_at: dict[int, _Mention]) -> bool:
    """Whether a place or seat of government is the subject of a verb of saying or acting."""
    first, last = tokens.by_start.get(m.start), tokens.by_end.get(m.end)
    if first is None or last is None:
        return False
    i = first - 1
    if tokens.word(i).lower() in ("der", "die", "das", "the") and tokens.same_line(i, first):
        i -= 1
    before = tokens.word(i) if i >= 0 and tokens.same_line(i, first) else ""
    if before.lower() == "sich" and _is_action(tokens.word(i - 1)):
        return True  # "einigten sich Moskau und Hanoi"
    if before.lower().startswith(_SPEECH_PREFIXES):
        return True  # "…", sagte Washington
    if before and before.lower() not in _CLAUSE_OPENERS and not _is_action(before):
        return False  # "in Hanoi", "zwischen Washington und Moskau"
    # the verb: right after the name (or after a coordinated name); after "dass" anywhere in the clause
    j = last + 1
    while tokens.word(j).lower() in ("und", "and", "sowie") and tokens.word(j + 1) != "":
        nxt = mentions_at.get(tokens.spans[j + 1][0])
        if nxt is None:
            break
        j = (tokens.by_end.get(nxt.end) or j + 1) + 1
    if _is_action(tokens.word(j)):
        return True
    if before.lower() in ("dass", "daß", "that", "da", "weil", "because", "ob"):
        while j < len(tokens.spans) and tokens.word(j) not in (",", ".", ";", "!", "?") and tokens.same_line(
                first, j):
            if _is_action(tokens.word(j)):
                return True
            j += 1
    return False


class EntityRecognizer:
    """Sets ``Analysis.entities``: CRF names, linked to entity ids, with descriptions and metonymy flags.

    ``model``: ``crf`` (the default: word, context and gazetteer features; fast) or ``e5``
    (multilingual-e5-small fine-tuned for names: more accurate, about 100 times slower).
    """

    name: ClassVar[str] = "entities.crf.v1"
    requires: ClassVar[tuple[str, ...]] = ("sentences",)
    assigns: ClassVar[tuple[str, ...]] = ("entities",)

    def __init__(self, language: str = "de", propagate: bool = True, descriptions: bool = True,
                 model: str = "crf") -> None:
        self.language = language  # when neither the analysis nor the article says
        self.propagate = propagate
        self.descriptions = descriptions
        self.model = model

    def __call__(self, analysis: Analysis) -> Analysis:
        language = analysis.language or analysis.article.language or self.language
        entities = find_entities(analysis.article.text, _sentence_spans(analysis), language,
                                 propagate=self.propagate, descriptions=self.descriptions, model=self.model)
        return dataclasses.replace(analysis, entities=tuple(entities))


class E5EntityRecognizer(EntityRecognizer):
    """The entity recogniser with the fine-tuned multilingual-e5-small tagger (``model="e5"``)."""

    name: ClassVar[str] = "entities.e5.v1"

    def __init__(self, language: str = "de", propagate: bool = True, descriptions: bool = True) -> None:
        super().__init__(language, propagate, descriptions, model="e5")


def find_entities(
    text: str,
    sentences: Iterable[tuple[int, int]],
    language: str | None = "de",
    *,
    propagate: bool = True,
    descriptions: bool = True,
    model: str = "crf",
) -> list[Entity]:
    """Entity mentions in ``text`` (sorted, non-overlapping) with ids, canonical names and metonymy flags."""
    mentions = recognize(text, sentences, language, model)
    if not mentions:
        return []
    tokens = _Tokens(text)
    if propagate:
        mentions = _propagate(text, tokens, mentions)
    clusters = _link(text, mentions)
    clusters.sort(key=lambda c: min(m.start for m in c))
    known = {w for m in mentions for w in fold(text[m.start : m.end]).split()}
    canonical: dict[int, str] = {}
    for number, cluster in enumerate(clusters):
        best = max(cluster, key=lambda m: (len(_key_tokens(text[m.start : m.end], known)), m.end - m.start))
        name = text[best.start : best.end]
        key = _key_tokens(name, known)
        if key and fold(name.split()[-1]) != key[-1]:  # a genitive: cut its ending
            cut = len(fold(name.split()[-1])) - len(key[-1])
            name = name[: len(name) - cut]
        canonical[number] = name
        for m in cluster:
            m.entity = number
    mentions_at = {m.start: m for m in mentions}
    for m in mentions:
        seat = fold(text[m.start : m.end]) in GOVERNMENT_SEATS
        if (m.label == "LOC" or seat) and _is_actor(tokens, m, mentions_at):
            m.metonymy = True
    found: list[tuple[int, int, str, int, str, bool]] = [
        (m.start, m.end, m.label, m.entity, "name", m.metonymy) for m in mentions if m.entity >= 0]
    if descriptions:
        names = bytearray(len(text) + 1)
        for m in mentions:
            names[m.start : m.end] = b"\x01" * (m.end - m.start)
        tied = _descriptions(tokens, mentions)
        for d in [*tied, *_recurring_descriptions(tokens, tied, names)]:
            if not any(names[d.start : d.end]):
                found.append((d.start, d.end, "PER", d.entity, "description", False))
                names[d.start : d.end] = b"\x01" * (d.end - d.start)
    found.sort(key=lambda f: (f[0], -f[1]))
    out: list[Entity] = []
    last_end = -1
    for start, end, label, number, kind, metonymy in found:
        if start < last_end:
            continue
        out.append(Entity(start=start, end=end, text=text[start:end], label=label,  # type: ignore[arg-type]
                          entity=f"e{number + 1}", canonical=canonical[number], metonymy=metonymy,
                          kind=kind))  # type: ignore[arg-type]
        last_end = end
    return out


@registry.register("entities.crf.v1")
def _factory(settings: Settings) -> EntityRecognizer:
    return EntityRecognizer()


@registry.register("entities.e5.v1")
def _e5_factory(settings: Settings) -> EntityRecognizer:
    return E5EntityRecognizer()
