"""The values that flow through counterpoint: frozen dataclasses, each with ``to_dict``.

Every finding is a character span ``[start, end)`` into ``Article.text`` (the cleaned body text).
``Article.offset_map`` maps cleaned offsets back to ``Article.source_text`` where cleaning dropped text.
"""

from __future__ import annotations

import bisect
from dataclasses import asdict, dataclass, field
from typing import Any, Literal

import numpy as np

SCHEMA_ID = "counterpoint/comparison@1"


@dataclass(frozen=True)
class Removed:
    """A piece of the source text that is not article body, with the reason it was dropped."""

    text: str
    reason: str  # caption | credit | heading | pull-quote | furniture | title
    start: int  # offsets into Article.source_text
    end: int


@dataclass(frozen=True)
class Article:
    """One article: cleaned body text plus metadata. All spans point into ``text``."""

    id: str
    text: str
    title: str | None = None
    outlet: str | None = None
    url: str | None = None
    language: str | None = None
    published: str | None = None  # ISO 8601 date or datetime
    author: str | None = None
    retrieved: str | None = None  # ISO 8601 time the page was fetched or crawled (WARC-Date), if known
    source: str | None = None  # where it came from: a path or URL
    source_text: str | None = None  # text before cleaning; None when identical to ``text``
    # (clean_start, source_start, length): each run of kept text, in order
    offset_map: tuple[tuple[int, int, int], ...] = ()
    removed: tuple[Removed, ...] = ()

    def source_offset(self, offset: int) -> int:
        """Map an offset in ``text`` to the matching offset in ``source_text``."""
        if not self.offset_map:
            return offset
        starts = [run[0] for run in self.offset_map]
        i = max(bisect.bisect_right(starts, offset) - 1, 0)
        clean_start, source_start, _length = self.offset_map[i]
        return source_start + (offset - clean_start)

    def to_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "outlet": self.outlet,
            "title": self.title,
            "url": self.url,
            "language": self.language,
            "published": self.published,
            "author": self.author,
            "retrieved": self.retrieved,
            "text": self.text,
            # runs of kept text: [clean_start, source_start, length]; offsets of "removed" are source offsets
            "source_map": [list(run) for run in self.offset_map],
        }


@dataclass(frozen=True)
class Sentence:
    start: int
    end: int
    text: str
    paragraph: int  # 0-based paragraph index in the cleaned text


EntityLabel = Literal["PER", "ORG", "LOC", "OTH"]


@dataclass(frozen=True)
class Entity:
    """One mention of a named entity (or of a description that stands for one, "der russische Präsident")."""

    start: int
    end: int
    text: str
    label: EntityLabel
    entity: str | None = None  # id of the entity within the article ("e1"): mentions of one entity share it
    canonical: str | None = None  # the entity's fullest name in the article ("Wladimir Putin")
    metonymy: bool = False  # a place standing for its government ("Moskau", "der Kreml", "Washington")
    kind: Literal["name", "description", "pronoun"] = "name"


@dataclass(frozen=True)
class Quote:
    """Something a source is reported to have said, with who said it and the word that says so."""

    start: int  # the quoted or reported content
    end: int
    text: str
    kind: Literal["direct", "indirect", "mixed"]
    speaker_start: int | None = None  # the speaker as written here ("er", "die US-Botschaft", "Rahmat")
    speaker_end: int | None = None
    speaker_text: str | None = None
    speaker_entity: str | None = None  # Entity.entity of the speaker, pronouns resolved to their antecedent
    speaker_name: str | None = None  # the speaker's canonical name, when known
    cue_start: int | None = None  # the speech verb or phrase ("sagte", "erklärte", "so", "according to")
    cue_end: int | None = None
    cue_text: str | None = None


Qualifier = Literal["exact", "about", "at_least", "more_than", "at_most", "less_than", "vague"]


@dataclass(frozen=True)
class Claim:
    """A quantity or date in the text, with what it counts or measures, so claims can be compared."""

    start: int  # the quantity expression ("mindestens ein Dutzend", "8,3 Prozent", "20. Juni 2024")
    end: int
    text: str
    kind: Literal["count", "amount", "percent", "measure", "ordinal", "date", "year", "duration"]
    value: float | None = None  # the number as written (for vague counts the lower bound)
    low: float | None = None  # the range the text allows: "mindestens 12" -> (12, None); "Dutzende" -> (24, None)
    high: float | None = None
    qualifier: Qualifier = "exact"
    unit: str | None = None  # "percent", "EUR", "USD", "km", "mm", "year" ...
    counted: str | None = None  # lemma of what is counted or measured ("Abkommen", "Anteil", "agreement")
    predicate: str | None = None  # lemma of the governing verb or noun ("unterzeichnen", "bekanntgeben")
    date: str | None = None  # ISO date (or year, year-month) for kind date/year, resolved where possible
    sentence: int | None = None  # index into Analysis.sentences


@dataclass(frozen=True, eq=False)
class Analysis:
    """What the per-article pipeline found in one article."""

    article: Article
    language: str | None = None
    sentences: tuple[Sentence, ...] = ()
    entities: tuple[Entity, ...] = ()
    quotes: tuple[Quote, ...] = ()
    claims: tuple[Claim, ...] = ()
    embeddings: np.ndarray | None = None  # (len(sentences), dim), L2-normalised rows
    components: tuple[str, ...] = ()  # versioned names of the components that ran


@dataclass(frozen=True)
class Processed:
    """One article as ingest stores it: its analysis plus what finds duplicates and stories.

    Built by ``counterpoint.run.process`` (a pure function, the same on every engine); read by the
    store and by story clustering.
    """

    analysis: Analysis  # without sentence embeddings (the store keeps what exports and reports need)
    content_hash: str  # sha1 (hex) of the normalised text: the same article twice is stored once
    canonical_url: str | None  # the URL without fragment, tracking parameters, "www.", default ports
    clustered: bool  # False when the language is not one of ``Settings.story_languages``
    time: str  # ISO 8601: published, else retrieved, else the time of ingest (stories are bounded in time)
    vector: np.ndarray | None  # float32 unit document vector (fast embedder); None when not clustered
    signature: np.ndarray | None  # uint64 MinHash values (``Settings.minhash_perm``); None for empty text

    @property
    def article(self) -> Article:
        return self.analysis.article


@dataclass(frozen=True)
class StoryState:
    """A story as clustering keeps it: enough to place the next article (persisted by the store)."""

    id: str
    centroid: np.ndarray  # float32 unit vector: the normalised mean of its members' document vectors
    size: int  # independent members (near-duplicates are not counted)
    first: str  # ISO 8601 time of its earliest and latest member
    last: str
    linked_to: str | None = None  # an earlier story on the same subject, outside the time window


@dataclass(frozen=True)
class Placement:
    """Where ingest put one article: the unit the store writes."""

    processed: Processed
    duplicate_of: str | None  # id of the stored article this one copies (near-duplicate), else None
    story: str | None  # id of its story; None when the article is not clustered


@dataclass(frozen=True)
class Mention:
    """One sentence of one article that carries a statement."""

    article: str  # Article.id
    start: int
    end: int
    text: str
    sentence: int  # index into that article's sentences


@dataclass(frozen=True)
class Statement:
    id: str
    status: Literal["shared", "unique"]
    mentions: tuple[Mention, ...]
    score: float | None  # strongest alignment z-score inside the group; None when unique

    @property
    def articles(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(m.article for m in self.mentions))


@dataclass(frozen=True)
class Link:
    """One aligned sentence pair between two articles (the evidence behind a shared statement)."""

    a: tuple[str, int]  # (article id, sentence index)
    b: tuple[str, int]
    cosine: float
    z: float
    mutual: bool


@dataclass(frozen=True)
class Fact:
    """A statement grouped across articles, with which articles report it: all, some, or one."""

    id: str
    statement: str  # Statement.id
    status: Literal["all", "some", "one"]
    articles: tuple[str, ...]
    mentions: tuple[Mention, ...]

    @property
    def wording(self) -> str:
        """The shortest wording of the fact among its mentions (extractive, for the digest)."""
        return min((m.text for m in self.mentions), key=len)


@dataclass(frozen=True)
class Evidence:
    """A passage that supports a finding: the exact span, and the sentence it stands in."""

    article: str
    start: int
    end: int
    text: str
    sentence_start: int | None = None
    sentence_end: int | None = None


@dataclass(frozen=True)
class Conflict:
    id: str
    type: Literal["number", "date", "place", "speaker"]
    a: Evidence
    b: Evidence
    explanation: str  # in plain language


@dataclass(frozen=True)
class WordOp:
    op: Literal["equal", "replace", "delete", "insert"]
    a: str
    b: str


@dataclass(frozen=True)
class QuoteMatch:
    """The same statement quoted or paraphrased by several articles, with the wording compared."""

    id: str
    speaker: str | None
    mentions: tuple[Evidence, ...]  # the quote in each article (one per article)
    kinds: tuple[str, ...]  # direct / indirect / mixed, one per mention
    speakers: tuple[str | None, ...]  # the speaker each article names
    diff: tuple[WordOp, ...]  # word-level diff of the first two mentions
    score: float


@dataclass(frozen=True)
class Voice:
    speaker: str
    role: str | None  # official, diplomat, analyst, journalist, citizen, organisation
    quotes: int
    words: int
    first_paragraph: bool  # quoted in the article's first paragraph
    last_paragraph: bool
    evidence: tuple[Evidence, ...]


@dataclass(frozen=True)
class Voices:
    article: str
    voices: tuple[Voice, ...]
    attributed_sentences: int
    sentences: int

    @property
    def unattributed_share(self) -> float:
        return 1.0 - self.attributed_sentences / self.sentences if self.sentences else 0.0


def _per_article(findings: dict[str, tuple[Any, ...]]) -> list[dict[str, Any]]:
    return [{"article": aid, **asdict(f)} for aid, items in findings.items() for f in items]


@dataclass(frozen=True)
class Comparison:
    articles: tuple[Article, ...]
    statements: tuple[Statement, ...]
    links: tuple[Link, ...] = ()
    # per-article findings of the extractors, keyed by Article.id
    entities: dict[str, tuple[Entity, ...]] = field(default_factory=dict)
    quotes: dict[str, tuple[Quote, ...]] = field(default_factory=dict)
    claims: dict[str, tuple[Claim, ...]] = field(default_factory=dict)
    # findings across articles
    facts: tuple[Fact, ...] = ()
    omissions: dict[str, tuple[str, ...]] = field(default_factory=dict)  # article id -> fact ids it omits
    digest: tuple[str, ...] = ()  # fact ids every article reports, in reading order
    conflicts: tuple[Conflict, ...] = ()
    quote_matches: tuple[QuoteMatch, ...] = ()
    voices: tuple[Voices, ...] = ()
    framing: dict[str, Any] = field(default_factory=dict)  # see compare.framing: distinctive, markers, labels
    dropped: tuple[dict[str, str], ...] = ()  # inputs that could not be used: {"source", "reason"}
    pipeline: dict[str, Any] = field(default_factory=dict)

    @property
    def shared(self) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.status == "shared")

    @property
    def unique(self) -> tuple[Statement, ...]:
        return tuple(s for s in self.statements if s.status == "unique")

    def to_dict(self) -> dict[str, Any]:
        """The JSON document (schema ``comparison-1``) as plain dicts, lists, strings and numbers."""
        return _plain(self._document())

    def _document(self) -> dict[str, Any]:
        return {
            "schema": SCHEMA_ID,
            "articles": [a.to_dict() for a in self.articles],
            "statements": [
                {
                    "id": s.id,
                    "status": s.status,
                    "score": None if s.score is None else round(s.score, 3),
                    "mentions": [asdict(m) for m in s.mentions],
                }
                for s in self.statements
            ],
            "links": [
                {
                    "a": {"article": link.a[0], "sentence": link.a[1]},
                    "b": {"article": link.b[0], "sentence": link.b[1]},
                    "cosine": round(link.cosine, 4),
                    "z": round(link.z, 3),
                    "mutual": link.mutual,
                }
                for link in self.links
            ],
            "entities": _per_article(self.entities),
            "quotes": _per_article(self.quotes),
            "claims": _per_article(self.claims),
            "facts": [
                {"id": f.id, "statement": f.statement, "status": f.status, "articles": list(f.articles),
                 "mentions": [asdict(m) for m in f.mentions]}
                for f in self.facts
            ],
            "omissions": {aid: list(ids) for aid, ids in self.omissions.items()},
            "digest": [
                {"fact": fid, "text": fact.wording,
                 "mentions": [asdict(m) for m in fact.mentions]}
                for fid in self.digest for fact in self.facts if fact.id == fid
            ],
            "conflicts": [asdict(c) for c in self.conflicts],
            "quote_matches": [asdict(q) for q in self.quote_matches],
            "voices": [
                {"article": v.article, "sentences": v.sentences, "attributed_sentences": v.attributed_sentences,
                 "unattributed_share": round(v.unattributed_share, 3), "voices": [asdict(x) for x in v.voices]}
                for v in self.voices
            ],
            "framing": self.framing,
            "removed": [
                {"article": a.id, "text": r.text, "reason": r.reason, "start": r.start, "end": r.end}
                for a in self.articles
                for r in a.removed
            ],
            "dropped": [dict(d) for d in self.dropped],
            "pipeline": self.pipeline,
        }


def _plain(value: Any) -> Any:
    """Tuples (from ``asdict`` on frozen dataclasses) become lists, so the dict is what JSON reads back."""
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    return value
