"""`lapwing serve`: defaults to this machine only, catches up stories, refuses a missing store."""

from __future__ import annotations

from dataclasses import replace

import pytest
from builders import coded_doc as coded

pytest.importorskip("uvicorn")

from lapwing import cli
from lapwing.store import Store
from lapwing.store.stories import update_stories


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "events.db"
    with Store.open(path) as store:
        for source in ("A", "B"):
            doc = coded("Israel", "attacked", "attack", "Hamas", [(1, 1, "ISR", "MIL"), (3, 3, "PSE", "REB")],
                        date="2024-04-28", place=("Rafah", "PSE", 34.25, 31.29), source=source)
            (event,) = doc.events
            doc = doc.replace(article=replace(doc.article, id=f"a-{source}"),
                              events=(replace(event, id=f"e-{source}", article_id=f"a-{source}"),))
            store.write(doc, engine_version="test", origin="hand")
    return path


def test_serve_binds_localhost_and_says_when_events_lack_stories(db, monkeypatch, capsys):
    import uvicorn
    from fastapi.testclient import TestClient

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(kw, app=app))
    monkeypatch.delenv("LAPWING_API_KEY", raising=False)
    assert cli.main(["serve", "--db", str(db)]) == 0
    assert (seen["host"], seen["port"]) == ("127.0.0.1", 8000)
    err = capsys.readouterr().err
    assert "2 event(s) are in no story yet" in err and "lapwing stories" in err and "writes are disabled" in err

    # On loopback it answers to this machine's names only: a rebound DNS name is refused.
    client = TestClient(seen["app"], base_url="http://127.0.0.1:8000")
    assert client.get("/health").status_code == 200
    assert client.get("/health", headers={"host": "evil.example:8000"}).status_code == 400

    # Once clustered, nothing to say.
    with Store.open(db, create=False) as store:
        update_stories(store)
    assert cli.main(["serve", "--db", str(db)]) == 0
    assert "no story" not in capsys.readouterr().err


def test_serve_refuses_a_missing_store(tmp_path, capsys):
    assert cli.main(["serve", "--db", str(tmp_path / "nope.db")]) == 2
    assert "nope.db" in capsys.readouterr().err


def test_serve_passes_the_extract_limit(db, monkeypatch):
    import uvicorn

    seen = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: seen.update(app=app))
    assert cli.main(["serve", "--db", str(db), "--max-extract", "1234"]) == 0
    assert seen["app"].state.engine.max_bytes == 1234
