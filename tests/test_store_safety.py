"""Issue 12, the store side: a file that is not a Lapwing store (or is a newer one) is refused byte
for byte untouched by every command; reading never writes; a read-only rollback-mode store reads;
concurrent creation and upgrade are safe; a killed ingest leaves no worker behind. No spaCy model."""

from __future__ import annotations

import hashlib
import os
import signal
import sqlite3
import subprocess
import sys
import textwrap
import time

import pytest
from builders import old_store
from test_error_paths import one_error, run, store_commands
from test_first_contact import _unprivileged, fill, lapwing, places_docs

from lapwing.errors import StoreError
from lapwing.store import LATEST, Store


def state(folder):
    """Every file of `folder` (sidecars included, even empty ones) with its hash."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def foreign(path, journal="delete"):
    db = sqlite3.connect(path)
    db.execute(f"PRAGMA journal_mode = {journal}")
    db.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)")
    db.execute("INSERT INTO notes (body) VALUES ('another application keeps its notes here')")
    db.commit()
    db.close()


def newer(path, journal="wal"):
    fill(path).close()
    db = sqlite3.connect(path)
    db.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', 'later')", (LATEST + 1,))
    db.commit()
    db.execute(f"PRAGMA journal_mode = {journal}")
    db.close()


def rails(path):
    db = sqlite3.connect(path)
    db.execute("CREATE TABLE schema_migrations (version TEXT PRIMARY KEY)")  # another tool's table of that name
    db.execute("INSERT INTO schema_migrations VALUES ('20240101000000')")
    db.commit()
    db.close()


NOT_OURS = {
    "foreign-sqlite": (foreign, "not a Lapwing database"),
    "foreign-sqlite-wal": (lambda p: foreign(p, "wal"), "not a Lapwing database"),
    "other-schema-migrations": (rails, "not a Lapwing database"),
    "newer-lapwing-wal": (newer, f"schema version {LATEST + 1}"),
    "newer-lapwing-rollback": (lambda p: newer(p, "delete"), f"schema version {LATEST + 1}"),
    "zero-bytes": (lambda p: p.write_bytes(b""), "empty file"),
    "garbage": (lambda p: p.write_bytes(bytes(range(256)) * 64), "not an SQLite file"),
    "garbage-after-sqlite-header": (lambda p: p.write_bytes(b"SQLite format 3\x00" + b"\xff" * 8000), "damaged"),
}


@pytest.mark.parametrize("kind", NOT_OURS)
def test_a_file_that_is_not_our_store_is_refused_by_every_command_byte_for_byte_untouched(tmp_path, capsys, kind):
    make, says = NOT_OURS[kind]
    folder = tmp_path / "store"
    folder.mkdir()
    path = folder / "other.sqlite"
    make(path)
    before = state(folder)
    assert list(before) == ["other.sqlite"]  # no sidecar to begin with
    for args in store_commands(path, tmp_path):
        code, out, err = run(capsys, *args)
        assert code == 2 and out == "", args
        line = one_error(err, path, advice="the file was not changed")
        assert says in line, (args, line)
        assert state(folder) == before, args  # the same bytes, and no -wal, -shm or -journal beside it
    for kwargs in ({}, {"readonly": True}, {"create": False}):
        with pytest.raises(StoreError, match="the file was not changed"):
            Store.open(path, **kwargs)
    assert state(folder) == before and not (tmp_path / "out").exists()


def _rollback_store(path):
    """A store in SQLite's rollback journal mode (e.g. a copy someone converted)."""
    fill(path).close()
    connection = sqlite3.connect(path)
    connection.execute("PRAGMA journal_mode = delete")
    connection.close()


def test_reading_commands_leave_a_rollback_mode_store_byte_for_byte_alone(tmp_path, capsys):
    db = tmp_path / "events.db"
    _rollback_store(db)
    before = state(tmp_path)
    for args in (["events"], ["stats"], ["errors"], ["stories", "--no-update"],
                 ["export", tmp_path / "out", "--format", "jsonl"]):
        code, out, err = run(capsys, *args, "--db", db)
        assert code == 0, (args, err)
    assert state(tmp_path) == before  # still rollback mode: no header change, no -wal
    assert db.read_bytes()[18:20] == b"\x01\x01"


def test_a_read_only_rollback_mode_store_can_be_read(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    in_folder, alone = shared / "events.db", tmp_path / "mine.db"
    _rollback_store(in_folder)
    _rollback_store(alone)
    alone.chmod(0o444)  # a read-only file in a writable folder
    shared.chmod(0o555)  # and a store in a read-only folder
    try:
        prefix = _unprivileged(shared)
        before = state(shared), alone.read_bytes()
        for db in (in_folder, alone):
            code, out, err = lapwing(prefix, "events", "--db", db, "--place", "Rafah")
            assert (code, err) == (0, "") and out.splitlines()[-1] == "1 event", db
            code, out, err = lapwing(prefix, "stats", "--db", db)
            assert (code, err) == (0, ""), db
        assert (state(shared), alone.read_bytes()) == before
        assert not [p for p in tmp_path.iterdir() if p.name.startswith("mine.db-")]
    finally:
        shared.chmod(0o755)
        alone.chmod(0o644)


# -- several processes opening one store at once ----------------------------------------------------

OPEN_AT = """
import sys, time
from lapwing.store import Store
start = float(sys.argv[2])
while time.time() < start:
    time.sleep(0.0005)
with Store.open(sys.argv[1], timeout=30) as store:
    store.record_error(f"process {sys.argv[3]}", "was here")
"""


def _open_together(path, processes):
    start = time.time() + 1.0  # every process imports Lapwing first, then they open at one instant
    children = [subprocess.Popen([sys.executable, "-c", OPEN_AT, str(path), str(start), str(n)],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                for n in range(processes)]
    return [(child.wait(timeout=60), *child.communicate()) for child in children]


@pytest.mark.parametrize("existing", ["none", "old-schema"])
def test_processes_creating_or_upgrading_one_store_at_once_all_succeed(tmp_path, existing):
    for round_ in range(3):
        folder = tmp_path / f"round{round_}"
        folder.mkdir()
        path = folder / "events.db"
        if existing == "old-schema":
            old_store(path, 3, places_docs())
        results = _open_together(path, 4)
        assert results == [(0, "", "")] * 4, results
        with Store.open(path, readonly=True) as store:
            assert store.schema_version == LATEST
            assert sorted(row["source"] for row in store.errors()) == [f"process {n}" for n in range(4)]
            assert store.db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        assert {p.name for p in folder.iterdir()} <= {"events.db", "events.db-wal", "events.db-shm"}  # no temporaries


# -- a killed ingest takes its workers with it ------------------------------------------------------

SLOW_INGEST = """
import sys, time
import lapwing.api as api
import lapwing.store.ingest as ingest_module
from lapwing.cli import main

def slow(options):  # a stand-in engine that keeps each worker busy: the real pool, initializer and CLI
    def code(doc):
        time.sleep(120)
        return doc
    return code

api._cached_pipeline = ingest_module._cached_pipeline = slow
sys.exit(main(["ingest", sys.argv[1], "--db", sys.argv[2], "--workers", "2"]))
"""


def _children(pid):
    found = set()
    for task in os.listdir(f"/proc/{pid}/task"):
        with open(f"/proc/{pid}/task/{task}/children") as f:
            found.update(int(n) for n in f.read().split())
    return found


def _running(pid):
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"  # a zombie has exited
    except FileNotFoundError:
        return False


@pytest.mark.skipif(not sys.platform.startswith("linux") or not os.path.exists("/proc/self/task"),
                    reason="finds the worker processes through Linux's /proc")
def test_a_killed_ingest_leaves_no_worker_running(tmp_path):
    news = tmp_path / "news"
    news.mkdir()
    for n in range(4):
        (news / f"{n}.txt").write_text(f"Police arrested {n + 2} students in Nairobi on Monday.\n", encoding="utf-8")
    parent = subprocess.Popen([sys.executable, "-c", textwrap.dedent(SLOW_INGEST), news, tmp_path / "events.db"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    workers: set[int] = set()
    try:
        deadline = time.time() + 60
        while len(workers) < 2 and time.time() < deadline and parent.poll() is None:
            time.sleep(0.1)
            workers = _children(parent.pid)
        assert len(workers) >= 2, (workers, parent.poll(), parent.stderr.read() if parent.poll() is not None else "")
        time.sleep(0.5)  # the workers are inside the stand-in engine now
        os.kill(parent.pid, signal.SIGKILL)
        parent.wait(timeout=10)
        deadline = time.time() + 5
        while any(map(_running, workers)) and time.time() < deadline:
            time.sleep(0.1)
        assert not [pid for pid in workers if _running(pid)]
    finally:
        for pid in workers:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
        if parent.poll() is None:
            parent.kill()
        parent.stderr.close()


# -- reading never upgrades: the user upgrades once, on purpose -----------------------------------------

@pytest.mark.parametrize("command", [["events"], ["stats"], ["errors"], ["stories", "--no-update"], ["talks"]])
def test_a_read_command_refuses_an_older_store_and_leaves_it_as_it_was(tmp_path, capsys, command):
    db = tmp_path / "events.db"
    old_store(db, 3, places_docs())
    before = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()}
    code, out, err = run(capsys, *command, "--db", db)
    assert code == 2
    one_error(err, db, advice=f"lapwing upgrade --db {db}")
    assert {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in tmp_path.iterdir()} == before


def test_upgrade_brings_an_older_store_to_this_schema_and_then_it_reads(tmp_path, capsys):
    db = tmp_path / "events.db"
    old_store(db, 3, places_docs())
    code, out, err = run(capsys, "upgrade", "--db", db)
    assert code == 0 and f"from schema version 3 to {LATEST}" in err
    with Store.open(db, readonly=True) as store:
        assert store.schema_version == LATEST and store.counts()["articles"] > 0
    code, out, err = run(capsys, "upgrade", "--db", db)
    assert code == 0 and "nothing to do" in err
    assert run(capsys, "events", "--db", db)[0] == 0
