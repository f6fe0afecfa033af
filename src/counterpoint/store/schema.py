"""The database schema as an ordered list of migrations, and the check that a file is ours.

``PRAGMA user_version`` holds the number of migrations applied; ``PRAGMA application_id`` marks the file
as a counterpoint database. ``migrate`` applies the missing migrations in order, each in its own
transaction together with the new ``user_version``, so a failed migration leaves the previous version.

Never edit a migration that has shipped: append a new one. The tables (migration 2 added the last two,
and the indexes the web app's outlet and entity pages use: articles by outlet, entities by name, quotes
by speaker):

    articles         one row per stored article: every Article field, its fingerprints (content hash,
                     canonical URL), time, story and duplicate_of; ``seq`` is the insertion order and the
                     key that the child tables use
    entities         one row per Entity of an article (``n``: its position), likewise
    quotes, claims   one row per Quote and per Claim
    vectors          float32 document vector of an article (clustered articles only)
    signatures       uint64 MinHash signature of an independent (not near-duplicate) article
    stories          StoryState plus aggregates kept up to date by ``Store.write`` (title, member counts,
                     independent outlets), so listing stories never scans articles
    story_outlets    (story, outlet) for each outlet with an independent article in the story
    story_languages  (story, language) for each language among the story's articles
    articles_fts     FTS5 index of the articles' title and text (external content: the text lives in
                     ``articles`` only; triggers on ``articles`` keep the index in step), for ``search``
    comparisons      the cached comparison of a story (JSON document and HTML fragment) under a key of
                     its membership; ``Store.write`` deletes the row of a story that gains an article
"""

from __future__ import annotations

import sqlite3

from ..errors import StoreError

APPLICATION_ID = 0x43505354  # "CPST": a counterpoint store

_V1 = """
CREATE TABLE articles (
    seq           INTEGER PRIMARY KEY,
    id            TEXT NOT NULL UNIQUE,
    content_hash  TEXT NOT NULL UNIQUE,
    canonical_url TEXT UNIQUE,
    story         TEXT REFERENCES stories(id),
    duplicate_of  TEXT,
    time          TEXT NOT NULL,
    clustered     INTEGER NOT NULL,
    outlet        TEXT,
    title         TEXT,
    url           TEXT,
    language      TEXT,
    published     TEXT,
    author        TEXT,
    retrieved     TEXT,
    source        TEXT,
    text          TEXT NOT NULL,
    source_text   TEXT,
    source_map    TEXT NOT NULL DEFAULT '[]',
    removed       TEXT NOT NULL DEFAULT '[]',
    sentences     TEXT NOT NULL DEFAULT '[]',
    components    TEXT NOT NULL DEFAULT '[]'
);
CREATE INDEX articles_story ON articles (story, time);

CREATE TABLE entities (
    article   INTEGER NOT NULL REFERENCES articles(seq),
    n         INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    text      TEXT NOT NULL,
    label     TEXT NOT NULL,
    entity    TEXT,
    canonical TEXT,
    metonymy  INTEGER NOT NULL,
    kind      TEXT NOT NULL,
    PRIMARY KEY (article, n)
) WITHOUT ROWID;

CREATE TABLE quotes (
    article        INTEGER NOT NULL REFERENCES articles(seq),
    n              INTEGER NOT NULL,
    start          INTEGER NOT NULL,
    "end"          INTEGER NOT NULL,
    text           TEXT NOT NULL,
    kind           TEXT NOT NULL,
    speaker_start  INTEGER,
    speaker_end    INTEGER,
    speaker_text   TEXT,
    speaker_entity TEXT,
    speaker_name   TEXT,
    cue_start      INTEGER,
    cue_end        INTEGER,
    cue_text       TEXT,
    PRIMARY KEY (article, n)
) WITHOUT ROWID;

CREATE TABLE claims (
    article   INTEGER NOT NULL REFERENCES articles(seq),
    n         INTEGER NOT NULL,
    start     INTEGER NOT NULL,
    "end"     INTEGER NOT NULL,
    text      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    value     REAL,
    low       REAL,
    high      REAL,
    qualifier TEXT NOT NULL,
    unit      TEXT,
    counted   TEXT,
    predicate TEXT,
    date      TEXT,
    sentence  INTEGER,
    PRIMARY KEY (article, n)
) WITHOUT ROWID;

CREATE TABLE vectors (
    article INTEGER PRIMARY KEY REFERENCES articles(seq),
    vector  BLOB NOT NULL
);

CREATE TABLE signatures (
    article   INTEGER PRIMARY KEY REFERENCES articles(seq),
    signature BLOB NOT NULL
);

CREATE TABLE stories (
    id         TEXT PRIMARY KEY,
    centroid   BLOB NOT NULL,
    size       INTEGER NOT NULL,
    first      TEXT NOT NULL,
    last       TEXT NOT NULL,
    linked_to  TEXT,
    title      TEXT NOT NULL DEFAULT '',
    title_key  TEXT,
    articles   INTEGER NOT NULL DEFAULT 0,
    duplicates INTEGER NOT NULL DEFAULT 0,
    n_outlets  INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX stories_last ON stories (last, id, n_outlets, first);  -- covers the story list's walk

CREATE TABLE story_outlets (
    story  TEXT NOT NULL REFERENCES stories(id),
    outlet TEXT NOT NULL,
    PRIMARY KEY (story, outlet)
) WITHOUT ROWID;
CREATE INDEX story_outlets_outlet ON story_outlets (outlet, story);

CREATE TABLE story_languages (
    story    TEXT NOT NULL REFERENCES stories(id),
    language TEXT NOT NULL,
    PRIMARY KEY (story, language)
) WITHOUT ROWID;
CREATE INDEX story_languages_language ON story_languages (language, story);
"""

_V2 = """
CREATE VIRTUAL TABLE articles_fts USING fts5(
    title, text, content='articles', content_rowid='seq', tokenize='unicode61 remove_diacritics 2'
);
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF seq, title, text ON articles BEGIN
    INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts (rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
INSERT INTO articles_fts (articles_fts) VALUES ('rebuild');

CREATE INDEX articles_outlet ON articles (outlet, time);
CREATE INDEX entities_name ON entities (coalesce(canonical, text));
CREATE INDEX quotes_speaker ON quotes (speaker_name);

CREATE TABLE comparisons (
    story    TEXT PRIMARY KEY,
    key      TEXT NOT NULL,
    created  TEXT NOT NULL,
    document TEXT NOT NULL,
    html     TEXT NOT NULL
);
"""

#: Migration ``i`` takes a database from schema version ``i`` to ``i + 1``.
MIGRATIONS: list[str] = [_V1, _V2]


def latest() -> int:
    """The schema version this counterpoint writes."""
    return len(MIGRATIONS)


def version(conn: sqlite3.Connection, source: str) -> int:
    """The schema version of the open database; 0 for an empty one. Raises StoreError when the database
    is not a counterpoint database or is newer than this counterpoint."""
    app = conn.execute("PRAGMA application_id").fetchone()[0]
    found = conn.execute("PRAGMA user_version").fetchone()[0]
    if app == 0 and found == 0 and conn.execute("SELECT count(*) FROM sqlite_schema").fetchone()[0] == 0:
        return 0
    if app != APPLICATION_ID:
        raise StoreError("not a counterpoint database", source=source)
    if found > latest():
        raise StoreError(f"database is newer than this counterpoint (schema {found} > {latest()})", source=source)
    return int(found)


def migrate(conn: sqlite3.Connection, current: int, source: str) -> int:
    """Apply the migrations after ``current`` in order, each in one transaction; returns the new version.

    ``conn`` must be in autocommit mode (``isolation_level=None``) and hold no open transaction.
    """
    for number in range(current, latest()):
        script = f"BEGIN IMMEDIATE;\n{MIGRATIONS[number]}\nPRAGMA user_version = {number + 1};\n"
        if number == 0:
            script += f"PRAGMA application_id = {APPLICATION_ID};\n"
        try:
            conn.executescript(script + "COMMIT;")
        except sqlite3.Error as exc:
            if conn.in_transaction:
                conn.rollback()
            raise StoreError(f"cannot upgrade the database to schema {number + 1}: {exc}", source=source) from exc
    return latest()
