"""Build Docs by hand from CoNLL-like rows, so stage tests never load a model."""

from __future__ import annotations

from lapwing.doc import Doc
from lapwing.records import Actor, Article, Entity, Mention, Sentence, Token


def hand_doc(rows: str, mentions=(), entities=(), published=None) -> Doc:
    """rows: one token per line, `text lemma POS TAG dep head` (head = 1-based index, 0 = root).

    Tokens are joined by single spaces. `mentions` are (first, last, country, sector[, name]) with
    1-based inclusive token numbers; the mention's head is its last token. `entities` are
    (first, last, label).
    """
    parsed = [line.split() for line in rows.strip().splitlines() if line.strip()]
    text_parts, tokens, pos = [], [], 0
    for i, (word, lemma, upos, tag, dep, head) in enumerate(parsed):
        start = pos
        text_parts.append(word)
        pos += len(word) + 1
        h = int(head) - 1 if int(head) > 0 else i
        tokens.append(Token(i, word, start, start + len(word), lemma, upos, tag, dep, h, 0))
    text = " ".join(text_parts)
    ents = []
    for first, last, label in entities:
        a, b = tokens[first - 1], tokens[last - 1]
        ents.append(Entity(text[a.start : b.end], label, a.start, b.end, first - 1, last))
        for t in range(first - 1, last):
            tokens[t] = _with_ent(tokens[t], label)
    men = []
    for spec in mentions:
        first, last, country, sector = spec[:4]
        a, b = tokens[first - 1], tokens[last - 1]
        span = text[a.start : b.end]
        name = spec[4] if len(spec) > 4 else span
        men.append(Mention(Actor(span, name, country, sector, a.start, b.end), first - 1, last, last - 1))
    article = Article(text=text, published=published)
    return Doc(article, tuple(tokens), (Sentence(0, len(text), 0, len(tokens)),), tuple(ents), (), tuple(men))


def _with_ent(tok: Token, label: str) -> Token:
    from dataclasses import replace

    return replace(tok, ent_type=label, ent_iob="I")


def _finder():
    from lapwing.stages.events import EventFinder

    return EventFinder(engine_version="test")


def coded_doc(subject, verb, lemma, obj, mentions, *, date=None, granularity="day", place=None, killed=None,
          modality=None, confidence=None, source=None, title=None, extra="today"):
    """A one-event Doc coded by the real events stage, then dated, placed and counted by hand."""
    from dataclasses import replace

    from lapwing.records import DateRef, Place, Quantity

    doc = _finder()(hand_doc(
        f"""
        {subject} {subject} PROPN NNP nsubj 2
        {verb} {lemma} VERB VBD ROOT 0
        {obj} {obj} PROPN NNP dobj 2
        {extra} {extra} NOUN NN npadvmod 2
        """,
        mentions=mentions,
    ))
    assert len(doc.events) == 1, doc.events
    (event,) = doc.events
    changes = {"date": DateRef(date, date, granularity if date else "unknown", "text" if date else "unknown")}
    if place:
        name, country, lon, lat, *feature = place  # (name, country, lon, lat[, feature])
        changes["location"] = Place(name, name, country, None, lat, lon, None, 0, len(name), (feature or ["city"])[0])
    if killed is not None:
        changes["quantities"] = (Quantity("killed", float(killed), False, None, str(killed), 0, 1),)
    if modality:
        changes["modality"] = modality
    if confidence is not None:
        changes["confidence"] = confidence
    article = replace(doc.article, source=source, title=title)
    return doc.replace(article=article, events=(replace(event, **changes),))


def join_docs(*docs: Doc, published=None) -> Doc:
    """One Doc of several sentences from one-sentence `hand_doc`s (texts joined by a space).

    Token, sentence, entity and mention offsets are shifted; places and events are left out.
    """
    from dataclasses import replace

    texts, tokens, sentences, ents, men = [], [], [], [], []
    chars = 0
    for n, d in enumerate(docs):
        shift, first = chars, len(tokens)
        for t in d.tokens:
            tokens.append(replace(t, i=t.i + first, head=t.head + first, sent=n, start=t.start + shift, end=t.end + shift))
        sentences.append(Sentence(shift, shift + len(d.text), first, first + len(d.tokens)))
        ents.extend(replace(e, start=e.start + shift, end=e.end + shift, token_start=e.token_start + first,
                            token_end=e.token_end + first) for e in d.entities)  # fmt: skip
        men.extend(
            replace(m, actor=replace(m.actor, start=m.actor.start + shift, end=m.actor.end + shift),
                    token_start=m.token_start + first, token_end=m.token_end + first, head=m.head + first)
            for m in d.mentions
        )  # fmt: skip
        texts.append(d.text)
        chars += len(d.text) + 1
    article = Article(text=" ".join(texts), published=published)
    return Doc(article, tuple(tokens), tuple(sentences), tuple(ents), (), tuple(men))


def old_store(path, version: int, docs=(), engine_version: str = "test", sources=None):
    """A store as a Lapwing of schema `version` (1-3) wrote it: its migrations, its columns.

    Migrations 1-3 added no column to what migration 1 made, so one raw writer serves them all;
    tests of later migrations open the result with the current Store.
    """
    import datetime as dt
    import json
    import sqlite3

    from lapwing.records import text_id
    from lapwing.store.migrations import MIGRATIONS
    from lapwing.store.store import _statements, date_range

    assert 1 <= version <= 3
    db = sqlite3.connect(str(path), isolation_level=None)
    db.execute("CREATE TABLE schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)")
    for m in MIGRATIONS[:version]:
        for statement in _statements(m.sql):
            db.execute(statement)
        db.execute("INSERT INTO schema_migrations VALUES (?, ?, 'then')", (m.version, m.name))
    for i, doc in enumerate(docs):
        a = doc.article
        source = (sources[i] if sources else a.source)
        db.execute(
            "INSERT INTO articles (id, text_hash, title, url, source, published, text, origin, engine_version, "
            "stage_versions, coded_at, seconds) VALUES (?, ?, ?, ?, ?, ?, ?, 'hand', ?, '{}', ?, 0)",
            (a.id, text_id(a.text), a.title, a.url, source, a.published.isoformat() if a.published else None, a.text,
             engine_version, dt.datetime.now().isoformat()),
        )
        for event in doc.events:
            r = event.to_dict()
            date, place = r["date"], r["location"] or {}
            first, last = date_range(date["value"], date["granularity"])
            db.execute(
                "INSERT INTO events (id, article_id, event_type, mode, quad, intensity, modality, date_value, "
                "date_first, date_last, date_granularity, date_basis, place_name, place_country, lat, lon, geonameid, "
                "trigger_text, confidence, record) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (r["id"], r["article_id"], r["event_type"], r["mode"], r["quad"], r["intensity"], r["modality"],
                 date["value"], first, last, date["granularity"], date["basis"], place.get("name"),
                 place.get("country"), place.get("lat"), place.get("lon"), place.get("geonameid"),
                 r["trigger"]["text"], r["confidence"], json.dumps(r, ensure_ascii=False)),
            )
            for role, actors in (("actor", r["actors"]), ("recipient", r["recipients"])):
                for j, x in enumerate(actors):
                    db.execute("INSERT INTO event_actors VALUES (?, ?, ?, ?, ?, ?, ?)",
                               (r["id"], role, j, x["text"], x["name"], x["country"], x["sector"]))
            for j, q in enumerate(r["quantities"]):
                db.execute("INSERT INTO quantities VALUES (?, ?, ?, ?, ?, ?)",
                           (r["id"], j, q["kind"], q["value"], int(q["approximate"]), q["unit"]))
    db.close()
