"""Every setting once, with its default and help. Precedence: defaults < file < environment < CLI.

A settings file is TOML with the same names (``embedder = "e5"``); environment variables are the
upper-cased names with a ``COUNTERPOINT_`` prefix (``COUNTERPOINT_EMBEDDER=e5``). ``load_settings``
merges all of them in one place.
"""

from __future__ import annotations

import dataclasses
import os
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import SettingsError

ENV_PREFIX = "COUNTERPOINT_"
ENV_FILE = "COUNTERPOINT_SETTINGS"  # path of a TOML settings file


def _setting(default: Any, help: str) -> Any:
    if isinstance(default, (list, dict, set)):
        return field(default_factory=lambda: default, metadata={"help": help})
    return field(default=default, metadata={"help": help})


@dataclass(frozen=True)
class Settings:
    # analysis
    embedder: str = _setting(
        "use", "sentence embedder: use (USE multilingual, fast), e5 (multilingual-e5-small, quality), "
        "st (sentence-transformers model on disk, see st_model)")
    st_model: str = _setting("", "path of a sentence-transformers model on disk (embedder = st)")
    languages: tuple[str, ...] = _setting(
        ("de", "en", "fr", "es", "it", "nl", "pl", "pt", "ru", "tr", "ar", "zh", "ja", "ko", "th"),
        "languages the language detector may answer (ISO 639-1)")
    sentence_splitter: str = _setting("sentences.rules.v1", "registered name of the sentence splitter")
    entity_recognizer: str = _setting("entities.crf.v1", "registered name of the entity recogniser ('' to skip)")
    quote_extractor: str = _setting("quotes.rules.v1", "registered name of the quotation extractor ('' to skip)")
    claim_extractor: str = _setting("claims.rules.v1", "registered name of the claim extractor ('' to skip)")
    min_sentence_chars: int = _setting(20, "sentences shorter than this are not aligned")
    # alignment
    align_z: float = _setting(
        2.75, "a mutual nearest-neighbour sentence pair is shared when its z-score (robust, within the "
        "article pair's similarity matrix) is at least this")
    align_z_extra: float = _setting(
        5.0, "a pair that is not mutual (one sentence carries facts of several) is still shared when one "
        "sentence is the other's nearest neighbour and the z-score is at least this")
    align_lexical: float = _setting(
        0.5, "weight of the character n-gram overlap (names, numbers, rare words) next to the embedding "
        "similarity; 0 uses embeddings alone")
    # sources
    http_timeout: float = _setting(15.0, "seconds to wait for a URL (connect and each read)")
    allow_private_urls: bool = _setting(
        True, "whether URLs may resolve to loopback, private, link-local, shared, multicast, reserved or cloud "
        "metadata addresses; the CLI allows them since its user is on that machine, counterpoint serve sets it "
        "to false (no requests into the server's own network) unless --allow-private-urls")
    max_bytes: int = _setting(10_000_000, "largest response or file read, in bytes")
    user_agent: str = _setting("counterpoint (+https://github.com/counterpoint-news)", "HTTP User-Agent")

    # ingest, store and stories
    db: str = _setting("counterpoint.db", "the SQLite database that ingest writes and stories, story, export read")
    story_languages: tuple[str, ...] = _setting(
        ("de", "en", "fr", "es", "it", "nl", "pl", "pt", "ru", "tr", "ar", "zh", "ja", "ko", "th"),
        "languages whose articles are clustered into stories (others are stored and marked, not clustered)")
    story_threshold: float = _setting(
        0.625, "cosine between an article's document vector (USE over title and lead) and a story's centroid "
        "at which the article joins the story (best B-cubed F1 on the AllSides train set: counterpoint eval "
        "clusters)")
    story_window_days: float = _setting(
        4.0, "an article joins a story only when its time lies within this many days before the story's "
        "first or after its last article; a later report on the same subject starts a new story linked to "
        "the old one")
    duplicate_threshold: float = _setting(
        0.6, "estimated Jaccard similarity of word 5-gram shingles at which an article is a near-duplicate "
        "(agency copy, syndication) of one stored before; at 0.6 a copy with another headline and byline "
        "and a paragraph dropped is found three times as often as at 0.8, while separately written reports "
        "of one event mostly stay below 0.3")
    minhash_perm: int = _setting(128, "MinHash permutations per article (near-duplicate detection)")
    workers: int = _setting(0, "processes for per-article analysis during ingest (0: one per core)")
    batch_size: int = _setting(64, "articles analysed and committed together during ingest")
    ray_address: str = _setting("", "address of a Ray cluster for --engine ray ('' starts a local Ray)")

    # serve (the web app)
    host: str = _setting("127.0.0.1", "address the web app listens on (beyond loopback, set a token)")
    port: int = _setting(8000, "port the web app listens on")
    token: str = _setting("", "when set, every request to the web app must carry it (Authorization: Bearer, or "
                          "once as ?token=, which sets a cookie); use COUNTERPOINT_TOKEN rather than the command line")
    read_only: bool = _setting(False, "the web app never writes to the database (computed comparisons are kept "
                               "in memory only)")
    max_request_bytes: int = _setting(2_000_000, "largest request body the web app accepts")
    max_compare_inputs: int = _setting(10, "most articles (texts or URLs) in one compare-now request")

    def replace(self, **changes: Any) -> Settings:
        return load_settings(base=self, overrides=changes)

    @classmethod
    def help(cls) -> dict[str, str]:
        return {f.name: f.metadata.get("help", "") for f in dataclasses.fields(cls)}


def _coerce(name: str, value: Any, default: Any) -> Any:
    try:
        if isinstance(default, bool):
            if isinstance(value, str):
                return value.strip().lower() in {"1", "true", "yes", "on"}
            return bool(value)
        if isinstance(default, tuple):
            if isinstance(value, str):
                value = [v.strip() for v in value.split(",") if v.strip()]
            return tuple(str(v) for v in value)
        if isinstance(default, (int, float, str)):
            return type(default)(value)
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name!r}: cannot use {value!r} ({exc})") from None
    return value


def load_settings(
    path: str | Path | None = None,
    *,
    env: Mapping[str, str] | None = None,
    overrides: Mapping[str, Any] | None = None,
    base: Settings | None = None,
) -> Settings:
    """Merge defaults (or ``base``) < TOML file < environment < overrides into one Settings."""
    base = base or Settings()
    fields = {f.name: getattr(base, f.name) for f in dataclasses.fields(Settings)}
    merged: dict[str, Any] = {}
    env = os.environ if env is None else env
    path = path or env.get(ENV_FILE)
    if path:
        try:
            data = tomllib.loads(Path(path).read_text(encoding="utf-8"))
        except (OSError, tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise SettingsError(f"cannot read settings file {path}: {exc}") from None
        merged.update(data)
    for name in fields:
        key = ENV_PREFIX + name.upper()
        if key in env:
            merged[name] = env[key]
    merged.update({k: v for k, v in (overrides or {}).items() if v is not None})
    unknown = sorted(set(merged) - set(fields))
    if unknown:
        raise SettingsError(f"unknown setting(s): {', '.join(unknown)}")
    for name, value in merged.items():
        fields[name] = _coerce(name, value, fields[name])
    if fields["embedder"] not in {"use", "e5", "st"}:
        raise SettingsError(f"embedder must be use, e5 or st, not {fields['embedder']!r}")
    return Settings(**fields)
