"""The HTTP API: a FastAPI application over the event store and the engine.

Reads are open; writes need the operator's API key. Reads take a read-only connection from a pool
(pool.py) and the read views' answers are kept until the store changes (cache.py); each write opens
its own connection (SQLite allows one writer and many readers). Every value from a request reaches
SQLite as a `?` parameter through lapwing.store.query's fixed SQL fragments.
"""

import os
import shutil
import tempfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Annotated, Any, Literal

from fastapi import Depends, FastAPI, Query, Security
from fastapi import Path as PathParam
from fastapi.security import APIKeyHeader
from starlette.background import BackgroundTask
from starlette.exceptions import HTTPException
from starlette.responses import FileResponse
from starlette.middleware.trustedhost import TrustedHostMiddleware

from .. import __version__
from ..api import ENGINE_VERSION, EngineOptions, extract
from ..doc import Doc
from ..errors import InputError
from ..io.readers import parse_published
from ..records import Article
from ..store import Store
from ..store import aggregates
from ..store.export import export as export_store
from ..store.talks import list_processes, process
from ..store.query import EventFilter, count_events, parse_filter, query_events, run_sql, stats, story_page
from ..store.stories import story, update_stories
from . import errors, explorer
from .atomic import atomic
from .cache import MAX_BYTES, MAX_ENTRIES, AnswerCache, ReadCache, StoreVersion
from .engine import Engine
from .models import ArticleIn, ArticlesIn
from .pool import ReadPool
from .security import KEY_HEADER, BodyLimit, SecurityHeaders, check_key

Coder = Callable[[Article], Doc]

MAX_LIMIT = 1000
MAX_EXTRACT_BYTES = 50_000  # about 1.5 s of the engine on this 2-core machine
EXTRACT_SLOTS = 2  # one extraction coded, one waiting: the engine never idles, nothing queues behind
_DEFAULT_OPTIONS = EngineOptions()
_BIG = 2**62  # SQLite integers are 64-bit: larger offsets or ids would overflow, not just miss


def create_app(
    db_path: str | Path,
    *,
    api_key: str | None = None,
    max_body_bytes: int = 1_000_000,
    max_extract_bytes: int = MAX_EXTRACT_BYTES,
    extract_slots: int = EXTRACT_SLOTS,
    options: EngineOptions = _DEFAULT_OPTIONS,
    coder: Coder | None = None,
    allowed_hosts: Sequence[str] | None = None,
    cache_entries: int = MAX_ENTRIES,
    cache_bytes: int = MAX_BYTES,
) -> FastAPI:
    """The Lapwing HTTP API over the store at `db_path` (which must exist).

    `api_key` guards the writing endpoints; when None, LAPWING_API_KEY is read from the
    environment, and with no key at all writes are refused. `coder` replaces the engine (tests).
    `allowed_hosts` refuses requests whose Host header names another host: on a loopback address
    this stops a web page from reading the store through DNS rebinding. `max_extract_bytes` and
    `extract_slots` bound what open POST /extract requests may ask of the engine (engine.py).
    `cache_entries` and `cache_bytes` bound the read views' kept answers (0 entries: none kept).
    """
    db = str(db_path)
    # Fail at start-up, not on the first request; upgrades an older store once when it can be
    # written, and serves a store in a read-only folder for reading.
    Store.open(db, readonly=True).close()
    key = api_key if api_key is not None else (os.environ.get("LAPWING_API_KEY") or None)

    app = FastAPI(
        title="Lapwing",
        version=__version__,
        description="PLOVER political events coded from news articles: query the store, code new articles.",
        responses=errors.ERROR_RESPONSES,
        docs_url=None,  # explorer.mount serves /docs with local files
        redoc_url=None,
    )
    app.state.engine = engine = Engine(coder or _engine(options), slots=extract_slots, max_bytes=max_extract_bytes)
    errors.install(app)
    app.state.answers = answers = AnswerCache(cache_entries, cache_bytes)
    if cache_entries > 0:
        # Added first, so innermost: a request refused for its Host or body never reaches a kept answer.
        app.add_middleware(ReadCache, versions=StoreVersion(db), answers=answers)
    app.add_middleware(BodyLimit, limit=max_body_bytes)
    if allowed_hosts:
        app.add_middleware(TrustedHostMiddleware, allowed_hosts=list(allowed_hosts))
    app.add_middleware(SecurityHeaders)  # outermost: its headers are on every refusal too

    pool = ReadPool(db)

    def reader() -> Iterator[Store]:
        store, ident = pool.take()
        try:
            yield store
        except BaseException as exc:
            pool.give(store, ident, failed=exc)
            raise
        pool.give(store, ident)

    ReadStore = Annotated[Store, Depends(reader)]

    # async: a check this cheap must not wait for a thread behind slow reads.
    async def require_key(x_api_key: str | None = Security(APIKeyHeader(name=KEY_HEADER, auto_error=False))) -> None:
        check_key(key, x_api_key)

    @app.get("/health", summary="Is the service up, and what does the store hold")
    def health(store: ReadStore) -> dict[str, Any]:
        return {"status": "ok", "version": __version__, "engine_version": ENGINE_VERSION,
                "schema_version": store.schema_version, "store": store.counts()}

    @app.get("/events", summary="Events matching the filters, paginated")
    def events(
        store: ReadStore,
        flt: Filter,
        limit: int = Query(50, ge=0, le=MAX_LIMIT),
        offset: int = Query(0, ge=0, le=_BIG),
        sort: Literal["date", "-date", "confidence", "-confidence", "type"] = Query("date"),
    ) -> dict[str, Any]:
        page = EventFilter(**{**_fields(flt), "limit": limit, "offset": offset, "sort": sort})
        return {"total": count_events(store, page), "limit": limit, "offset": offset,
                "events": list(query_events(store, page))}

    @app.get("/events/{event_id}", summary="One event in the event contract")
    def event(event_id: str, store: ReadStore) -> dict[str, Any]:
        found = list(store.event_records("e.id = ?", [event_id]))
        if not found:
            raise HTTPException(404, f"there is no event {event_id!r} in the store: list events with GET /events")
        return found[0]

    @app.get("/articles/{article_id}", summary="One article with its text and its events")
    def article(article_id: str, store: ReadStore) -> dict[str, Any]:
        row = run_sql(
            store, "SELECT id, title, url, source, published, text, engine_version, coded_at FROM articles WHERE id = ?",
            [article_id],
        ).fetchone()
        if row is None:
            raise HTTPException(404, f"there is no article {article_id!r} in the store: find ids in GET /events")
        found = list(query_events(store, EventFilter(article_id=article_id)))
        found.sort(key=lambda r: (r["trigger"]["start"], r["id"]))  # reading order, for the article view
        return {"article": dict(row), "events": found}

    @app.get("/stories", summary="Stories: one happening, many reports")
    def stories(
        store: ReadStore,
        since: str | None = Query(None, description="YYYY-MM-DD"),
        until: str | None = Query(None, description="YYYY-MM-DD"),
        event_type: str | None = Query(None, alias="type"),
        min_sources: int = Query(1, ge=1, le=_BIG),
        limit: int = Query(50, ge=0, le=MAX_LIMIT),
        offset: int = Query(0, ge=0, le=_BIG),
        sort: Literal["date", "-date", "-reports"] = Query(
            "date", description="date: earliest first; -date: latest first; -reports: most reports first"),
    ) -> dict[str, Any]:
        total, found = story_page(store, since=since or None, until=until or None, event_type=event_type or None,
                                  min_sources=min_sources, sort=sort, limit=limit, offset=offset)
        return {"total": total, "limit": limit, "offset": offset, "sort": sort, "stories": found}

    @app.get("/stories/{story_id}", summary="One story with its reports and why each joined")
    def one_story(store: ReadStore, story_id: int = PathParam(ge=1, le=_BIG)) -> dict[str, Any]:
        exists = run_sql(store, "SELECT 1 FROM stories WHERE id = ?", [story_id]).fetchone()
        if exists is None:
            raise HTTPException(404, f"there is no story {story_id} in the store: list stories with GET /stories")
        return story(store, story_id)

    @app.get("/talks", summary="Negotiation processes: moves in talks threaded across articles")
    def talks(
        store: ReadStore,
        party: str | None = Query(None, description="three-letter country code of a party (ISR)"),
        state: str | None = Query(None, description="proposed, under talks, agreed, in effect, violated, ..."),
        since: str | None = Query(None, description="YYYY-MM-DD"),
        until: str | None = Query(None, description="YYYY-MM-DD"),
        limit: int = Query(50, ge=0, le=MAX_LIMIT),
        offset: int = Query(0, ge=0, le=_BIG),
    ) -> dict[str, Any]:
        found = list_processes(store, party=party or None, state=state or None, since=since or None,
                               until=until or None, limit=limit, offset=offset)
        return {"limit": limit, "offset": offset, "processes": found}

    @app.get("/talks/{process_id}", summary="One negotiation process: its states, terms history and moves")
    def one_process(store: ReadStore, process_id: int = PathParam(ge=1, le=_BIG)) -> dict[str, Any]:
        exists = run_sql(store, "SELECT 1 FROM talk_processes WHERE id = ?", [process_id]).fetchone()
        if exists is None:
            raise HTTPException(404, f"there is no negotiation process {process_id} in the store: list them with GET /talks")
        return process(store, process_id)

    @app.get("/actors", summary="Actors of the matching events, with counts and top partners")
    def actors(
        store: ReadStore,
        flt: Filter,
        limit: int = Query(50, ge=0, le=MAX_LIMIT),
        partners: int = Query(5, ge=0, le=100, description="partners listed per actor"),
    ) -> dict[str, Any]:
        return {"actors": aggregates.actors(store, flt, limit, partners)}

    @app.get("/places", summary="Places of the matching events, with counts")
    def places(
        store: ReadStore,
        flt: Filter,
        limit: int = Query(200, ge=0, le=MAX_LIMIT * 10),
    ) -> dict[str, Any]:
        return {"places": aggregates.places(store, flt, limit)}

    @app.get("/timeline", summary="Counts of matching events per day, week or month, by quad class or type")
    def timeline(
        store: ReadStore,
        flt: Filter,
        interval: Literal["day", "week", "month"] = Query("week"),
        stack: Literal["quad", "type"] = Query("quad", description="split each bar by quad class or event type"),
    ) -> dict[str, Any]:
        return aggregates.timeline(store, flt, interval, stack)

    @app.get("/network", summary="Who did what to whom: actor codes as nodes, events between them as edges")
    def network(
        store: ReadStore,
        flt: Filter,
        nodes: int = Query(40, ge=1, le=500, description="the largest nodes kept"),
    ) -> dict[str, Any]:
        return aggregates.network(store, flt, nodes)

    @app.get("/stats", summary="Counts of matching events by type, quad, country, month, source, modality")
    def summary(flt: Filter, store: ReadStore) -> dict[str, Any]:
        return stats(store, flt)

    @app.get("/export", summary="The matching events as a file: CSV, JSON Lines or Parquet (the columns of lapwing export)",
             response_class=FileResponse)
    def export_file(
        flt: Filter,
        store: ReadStore,
        format: Literal["csv", "jsonl", "parquet"] = Query("csv", description="the file's format"),
    ) -> FileResponse:
        # Written to a private temporary folder, streamed, then removed: the export never holds
        # the events in memory, whatever the filters match.
        folder = Path(tempfile.mkdtemp(prefix="lapwing-export-"))
        try:
            result = export_store(store, flt, format, folder)
        except BaseException:
            shutil.rmtree(folder, ignore_errors=True)
            raise
        path = result.files[0]
        return FileResponse(
            path, media_type=_EXPORT_TYPES[format], filename=f"lapwing-events.{path.suffix.lstrip('.')}",
            headers={"X-Lapwing-Events": str(result.events)},
            background=BackgroundTask(shutil.rmtree, folder, ignore_errors=True),
        )

    @app.post("/extract", summary=f"Code an article without storing it (text up to {max_extract_bytes:,} bytes)")
    async def extract_one(body: ArticleIn) -> dict[str, Any]:
        doc = await engine.extract(_article(body))
        return {"article": doc.article.to_dict(), "events": [e.to_dict() for e in doc.events]}

    @app.post("/articles", status_code=201, dependencies=[Depends(require_key)], responses=errors.KEY_RESPONSES,
              summary=f"Code and store articles (needs the {KEY_HEADER} header)")
    async def store_articles(body: ArticlesIn) -> dict[str, Any]:
        articles = _distinct([_article(a) for a in body.articles])  # all checked before any is coded

        def code_and_store(code: Coder) -> list[dict[str, Any]]:
            docs = [code(a) for a in articles]
            stored = []
            # All or nothing: the articles, their events and their stories commit together.
            with Store.open(db, create=False) as store, atomic(store) as batch:
                for doc in docs:
                    n = batch.write(doc, engine_version=ENGINE_VERSION, origin="http")
                    stored.append({"id": doc.article.id, "events": n})
                # New reports join their stories now, so the explorer's stories include them.
                update_stories(batch, [doc.article.id for doc in docs])
            return stored

        return {"stored": await engine.write(code_and_store)}

    explorer.mount(app)
    return app


def _engine(options: EngineOptions) -> Coder:
    # Engine runs one call at a time: the spaCy pipeline is shared and not documented as thread-safe.
    def code(article: Article) -> Doc:
        return extract(article.text, article.published, id=article.id, title=article.title,
                       url=article.url, source=article.source, options=options)

    return code


def _distinct(articles: list[Article]) -> list[Article]:
    # Two items with one id (given, or the hash of one text) would store the second over the first.
    seen: dict[str, int] = {}
    for i, article in enumerate(articles):
        if article.id in seen:
            raise InputError(f"articles.{i}: its id {article.id!r} is also that of articles.{seen[article.id]} "
                             "(the same id, or the same text with no id): send each article once")
        seen[article.id] = i
    return articles


def _article(body: ArticleIn) -> Article:
    published = parse_published(body.published, "published") if body.published else None
    return Article(text=body.text, id=body.id or "", title=body.title, url=body.url, source=body.source,
                   published=published)


def _event_filter(
    event_type: str | None = Query(None, alias="type", description="PLOVER event types, comma-separated"),
    quad: str | None = Query(None, description="quad classes 1-4, comma-separated"),
    actor: str | None = Query(None, description="actor country code (ISR) or part of a name"),
    recipient: str | None = Query(None, description="recipient country code or part of a name"),
    country: str | None = Query(None, description="actor or recipient country code or name"),
    place: str | None = Query(None, description="place name"),
    bbox: str | None = Query(None, description="min_lon,min_lat,max_lon,max_lat"),
    since: str | None = Query(None, description="YYYY-MM-DD, YYYY-MM or YYYY"),
    until: str | None = Query(None, description="YYYY-MM-DD, YYYY-MM or YYYY"),
    modality: str | None = Query(None, description="modalities, comma-separated"),
    text: str | None = Query(None, description="words the article must contain"),
    source: str | None = None,
    article: str | None = Query(None, description="article id"),
) -> EventFilter:
    """The shared event filter, from query parameters (checked by lapwing.store.query)."""
    params = {"type": event_type, "quad": quad, "actor": actor, "recipient": recipient, "country": country,
              "place": place, "bbox": bbox, "since": since, "until": until, "modality": modality,
              "text": text, "source": source, "article": article}
    return parse_filter({k: v for k, v in params.items() if v is not None})


Filter = Annotated[EventFilter, Depends(_event_filter)]

_EXPORT_TYPES = {"csv": "text/csv; charset=utf-8", "jsonl": "application/x-ndjson", "parquet": "application/vnd.apache.parquet"}


def _fields(flt: EventFilter) -> dict[str, Any]:
    return {name: getattr(flt, name) for name in flt.__dataclass_fields__}


__all__ = ["ArticleIn", "ArticlesIn", "create_app"]
