"""Named, ordered schema migrations of the event store. Each runs in one transaction.

Append new migrations at the end; never edit one that has shipped. A database whose version is
higher than the last one here was written by a newer Lapwing and is refused, never touched.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


MIGRATIONS: tuple[Migration, ...] = (
    Migration(
        1,
        "articles-events-actors-quantities",
        """
        CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);

        CREATE TABLE articles (
            seq INTEGER PRIMARY KEY,  -- a stable rowid: the full-text index keys on it, and VACUUM keeps it
            id TEXT NOT NULL UNIQUE,
            text_hash TEXT NOT NULL,
            title TEXT,
            url TEXT,
            source TEXT,
            published TEXT,
            text TEXT NOT NULL,
            origin TEXT,
            engine_version TEXT NOT NULL,
            stage_versions TEXT NOT NULL,
            coded_at TEXT NOT NULL,
            seconds REAL NOT NULL
        );
        CREATE INDEX articles_published ON articles (published);
        CREATE INDEX articles_source ON articles (source);
        CREATE INDEX articles_engine ON articles (engine_version);

        CREATE VIRTUAL TABLE articles_fts USING fts5 (title, text, content='articles', content_rowid='seq');
        CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;
        CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
        END;
        CREATE TRIGGER articles_fts_update AFTER UPDATE ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;

        CREATE TABLE events (
            id TEXT PRIMARY KEY,
            article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
            event_type TEXT NOT NULL,
            mode TEXT,
            quad INTEGER NOT NULL,
            intensity REAL NOT NULL,
            modality TEXT NOT NULL,
            date_value TEXT,
            date_first TEXT,      -- first day the date value covers, for range queries
            date_last TEXT,       -- last day it covers
            date_granularity TEXT NOT NULL,
            date_basis TEXT NOT NULL,
            place_name TEXT,
            place_country TEXT,
            lat REAL,
            lon REAL,
            geonameid INTEGER,
            trigger_text TEXT NOT NULL,
            confidence REAL NOT NULL,
            record TEXT NOT NULL  -- the full event contract as JSON (docs/events.md)
        );
        CREATE INDEX events_article ON events (article_id);
        CREATE INDEX events_type_date ON events (event_type, date_first);
        CREATE INDEX events_date ON events (date_first);
        CREATE INDEX events_place ON events (place_name);
        CREATE INDEX events_place_country ON events (place_country);
        CREATE INDEX events_quad ON events (quad);

        CREATE TABLE event_actors (
            event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
            role TEXT NOT NULL CHECK (role IN ('actor', 'recipient')),
            position INTEGER NOT NULL,
            text TEXT NOT NULL,
            name TEXT NOT NULL,
            country TEXT,
            sector TEXT,
            PRIMARY KEY (event_id, role, position)
        );
        CREATE INDEX event_actors_country ON event_actors (country, role);
        CREATE INDEX event_actors_name ON event_actors (name);

        CREATE TABLE quantities (
            event_id TEXT NOT NULL REFERENCES events (id) ON DELETE CASCADE,
            position INTEGER NOT NULL,
            kind TEXT NOT NULL,
            value REAL NOT NULL,
            approximate INTEGER NOT NULL,
            unit TEXT,
            PRIMARY KEY (event_id, position)
        );
        CREATE INDEX quantities_kind ON quantities (kind);

        CREATE TABLE ingest_errors (
            id INTEGER PRIMARY KEY,
            source TEXT NOT NULL,
            message TEXT NOT NULL,
            at TEXT NOT NULL
        );
        """,
    ),
    Migration(
        2,
        "stories",
        """
        -- One happening, many reports: see lapwing.store.stories and docs/store.md.
        CREATE TABLE stories (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so a story id stays meaningful
            representative_event_id TEXT NOT NULL,
            event_type TEXT NOT NULL,
            first_date TEXT,                       -- first day any member's date covers
            last_date TEXT,                        -- last day any member's date covers
            earliest_report TEXT,                  -- earliest publication date of a member's article
            sources INTEGER NOT NULL,              -- distinct sources (source, else url host, else article)
            articles INTEGER NOT NULL,
            events INTEGER NOT NULL,               -- members when last summarised; a mismatch marks it stale
            quantities TEXT NOT NULL,              -- JSON: spread of reported numbers per kind
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX stories_type_date ON stories (event_type, first_date);
        CREATE INDEX stories_first_date ON stories (first_date);
        CREATE INDEX stories_sources ON stories (sources);

        CREATE TABLE story_events (
            event_id TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
            story_id INTEGER NOT NULL REFERENCES stories (id) ON DELETE CASCADE,
            score REAL,                            -- null for the event that started the story
            reasons TEXT NOT NULL                  -- JSON: why it joined (type, date gap, place, actors, text)
        );
        CREATE INDEX story_events_story ON story_events (story_id);

        -- Document frequencies of article words, for the TF-IDF similarity of evidence sentences.
        CREATE VIRTUAL TABLE articles_vocab USING fts5vocab (articles_fts, 'row');
        """,
    ),
    Migration(
        3,
        "query-indexes",
        """
        -- For `lapwing events` / `stats` and the HTTP API (lapwing.store.query); measured on 10,000 articles.
        CREATE INDEX events_place_nocase ON events (place_name COLLATE NOCASE);
        CREATE INDEX events_lon_lat ON events (lon, lat);
        CREATE INDEX events_confidence ON events (confidence);
        CREATE INDEX events_modality ON events (modality);
        CREATE INDEX event_actors_role_country ON event_actors (role, country, event_id);
        CREATE INDEX articles_source_nocase ON articles (source COLLATE NOCASE);
        """,
    ),
    Migration(
        4,
        "folded-filter-keys-and-derived-sources",
        """
        -- Filters fold case and accents (lapwing.store.keys): `--place Rafah` finds "Rafaḩ".
        -- lapwing_fold and lapwing_source are SQL functions Store.open registers on its connection.
        -- The full-text index needs updating only when an article's title or text changes, so that
        -- the back-fills below (and later source fixes) do not re-index every article.
        DROP TRIGGER articles_fts_update;
        CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
            INSERT INTO articles_fts (articles_fts, rowid, title, text) VALUES ('delete', old.rowid, old.title, old.text);
            INSERT INTO articles_fts (rowid, title, text) VALUES (new.rowid, new.title, new.text);
        END;

        -- An article's source is derived once: its record's source, else its URL's host without www.
        UPDATE articles SET source = lapwing_source(source, url) WHERE source IS NULL AND url IS NOT NULL;
        ALTER TABLE articles ADD COLUMN source_key TEXT;
        UPDATE articles SET source_key = lapwing_source_key(source) WHERE source IS NOT NULL;
        CREATE INDEX articles_source_key ON articles (source_key);

        -- A place matches by its gazetteer name or by the words the article named it with.
        ALTER TABLE events ADD COLUMN place_key TEXT;
        ALTER TABLE events ADD COLUMN place_text_key TEXT;
        UPDATE events SET place_key = lapwing_fold(place_name),
            place_text_key = lapwing_fold(json_extract(record, '$.location.text'))
            WHERE place_name IS NOT NULL;
        CREATE INDEX events_place_key ON events (place_key);
        CREATE INDEX events_place_text_key ON events (place_text_key);
        CREATE INDEX events_geonameid ON events (geonameid);

        ALTER TABLE event_actors ADD COLUMN name_key TEXT;
        UPDATE event_actors SET name_key = lapwing_fold(name);
        """,
    ),
    Migration(
        5,
        "talks",
        """
        -- Negotiation processes: moves in talks threaded across articles (lapwing.store.talks,
        -- docs/negotiations.md). Written in the article's own transaction by Store.write_records.
        CREATE TABLE talk_processes (
            id INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused, so a process id stays meaningful
            label TEXT NOT NULL,                   -- the members' most frequent `process` words
            subjects TEXT NOT NULL,                -- JSON: subject families (ceasefire, exchange, ...)
            parties TEXT NOT NULL,                 -- JSON: country codes of the sides, most named first
            mediators TEXT NOT NULL,               -- JSON: [{name, country}]
            words TEXT NOT NULL,                   -- JSON: folded names of the members' process labels
            term_kinds TEXT NOT NULL,              -- JSON: kinds of the latest terms on the table
            state TEXT,                            -- null until an asserted move sets one
            state_event_id TEXT,                   -- the move that set it
            last_move TEXT,
            last_event_id TEXT,
            first_date TEXT,                       -- first day of the earliest move
            last_date TEXT,                        -- last day of the latest move
            moves INTEGER NOT NULL,
            articles INTEGER NOT NULL,
            stale INTEGER NOT NULL DEFAULT 0,      -- 1 when a member was removed (recoding): re-summarise
            created_at TEXT NOT NULL,
            updated_at TEXT NOT NULL
        );
        CREATE INDEX talk_processes_dates ON talk_processes (last_date, first_date);
        CREATE INDEX talk_processes_stale ON talk_processes (stale) WHERE stale = 1;

        CREATE TABLE talk_moves (
            event_id TEXT PRIMARY KEY REFERENCES events (id) ON DELETE CASCADE,
            process_id INTEGER NOT NULL REFERENCES talk_processes (id) ON DELETE CASCADE,
            article_id TEXT NOT NULL,
            move TEXT NOT NULL,
            score REAL,                            -- null for the move that started the process
            reasons TEXT NOT NULL                  -- JSON: why it joined (parties, subject, time, words, terms)
        );
        CREATE INDEX talk_moves_process ON talk_moves (process_id);

        -- Recoding deletes an article's events and, by cascade, their memberships: mark the process
        -- so the next write re-summarises it (or drops it when it has no member left).
        CREATE TRIGGER talk_moves_removed AFTER DELETE ON talk_moves BEGIN
            UPDATE talk_processes SET stale = 1 WHERE id = old.process_id;
        END;
        """,
    ),
)

LATEST = MIGRATIONS[-1].version
