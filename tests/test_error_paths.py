"""Issue 8, "Done when": every error path a new user meets is ONE line on standard error that names
the input (file, option or database) and says what to do, with no traceback, and leaves the store
byte-identical. No spaCy model: each path is refused before anything is coded (the few that code
a good article use a stand-in engine)."""

from __future__ import annotations

import hashlib
import json
import socket
import sqlite3

import pytest
from test_first_contact import _unprivileged, fill, lapwing

import lapwing.api as api
import lapwing.store.ingest as ingest_module
from lapwing.cli import main
from lapwing.doc import Doc
from lapwing.store import LATEST, Store


@pytest.fixture()
def no_engine(monkeypatch):
    """Coding without spaCy: each article becomes a Doc without events."""
    monkeypatch.setattr(api, "_cached_pipeline", lambda options: (lambda doc: doc))
    monkeypatch.setattr(ingest_module, "engine", lambda options=None, workers=0: lambda articles: map(Doc, articles))


@pytest.fixture()
def db(tmp_path):
    path = tmp_path / "store" / "events.db"
    path.parent.mkdir()
    fill(path).close()
    return path


def fingerprint(folder):
    """Every file of the store's folder with its hash: a changed .db or -wal, or a new store, shows.

    Left out: the -shm file (SQLite's shared-memory index, which any reader rebuilds) and an empty
    -wal (a read-only reader of a WAL store leaves one behind: no frames, the same as none).
    """
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir())
            if not p.name.endswith("-shm") and not (p.name.endswith("-wal") and p.stat().st_size == 0)}


def one_error(err: str, *named: str, advice: str) -> str:
    """The one error line of `err`: it names each of `named` and gives `advice` (what to do)."""
    assert "Traceback" not in err, err
    errors = [line for line in err.splitlines() if line.startswith("lapwing: error:")]
    assert len(errors) == 1, err
    (line,) = errors
    for name in named:
        assert str(name) in line, (name, line)
    assert advice in line, (advice, line)
    return line


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# -- input files: empty, binary, latin-1, huge, truncated or malformed JSON Lines -------------------

BAD_FILES = [
    # (name, bytes, extra options, what the line names, advice)
    ("empty.txt", b"", (), "empty.txt", "remove it or add the article text"),
    ("blob.txt", b"\x00\x01\x02" * 50, (), "blob.txt", "give a text, HTML or JSONL file"),
    ("latin.txt", "Café talks resumed in Bouaké.".encode("latin-1"), (), "latin.txt", "convert it first"),
    ("latin.jsonl", '{"id": "l1", "text": "Café talks"}\n'.encode("latin-1"), (), "latin.jsonl:1",
     "convert it first"),
    ("huge.txt", b"Police arrested students. " * 100, ("--max-bytes", "100"), "huge.txt", "raise --max-bytes"),
    ("cut.jsonl", b'{"id": "c1", "text": "Troops fired."}\n{"id": "c2", "text": "Troops fi', (), "cut.jsonl:2",
     "write one JSON object per line"),
    ("bad.jsonl", b"not json at all\n", (), "bad.jsonl:1", "write one JSON object per line"),
    ("blank.jsonl", b"\n\n", (), "blank.jsonl", "write one JSON object per line"),
]


@pytest.mark.parametrize(("name", "data", "options", "named", "advice"), BAD_FILES, ids=[b[0] for b in BAD_FILES])
def test_a_bad_input_file_is_one_line_naming_it(no_engine, tmp_path, db, capsys, name, data, options, named, advice):
    path = tmp_path / name
    path.write_bytes(data)
    before = fingerprint(db.parent)

    code, out, err = run(capsys, "extract", path, "--format", "jsonl", *options)
    assert code == 1
    line = one_error(err, tmp_path / named, advice=advice)
    assert err.splitlines()[-1].startswith("lapwing: 1 input(s) failed")
    assert "\n" not in line and (out == "" or name == "cut.jsonl")  # the truncated file's first record is coded

    # An ingest reports the same line, goes on, and records the input for `lapwing errors` (its
    # documented job: docs/store.md, "Errors and exit codes"); the stored articles are untouched.
    articles = Store.open(db, readonly=True).counts()
    code, out, err = run(capsys, "ingest", path, "--db", db, "--workers", "1", *options)
    assert code == 1 and one_error(err, tmp_path / named, advice=advice) == line
    with Store.open(db, readonly=True) as store:
        assert store.counts()["articles"] == articles["articles"] + (name == "cut.jsonl")
        assert [(r["source"], r["message"]) for r in store.errors()] == [(str(tmp_path / named), line.split(": ", 3)[3])]
    if name != "cut.jsonl":
        code, out, err = run(capsys, "ingest", path, "--db", db, "--workers", "1", *options)
        assert code == 1 and len(Store.open(db, readonly=True).errors()) == 1  # recorded once
    assert before != fingerprint(db.parent)  # (the ingest wrote its error record)


def test_extract_alone_never_touches_a_store(no_engine, tmp_path, db, capsys):
    before = fingerprint(db.parent)
    for name, data, options, _, _ in BAD_FILES:
        (tmp_path / name).write_bytes(data)
        run(capsys, "extract", tmp_path / name, *options)
    assert fingerprint(db.parent) == before


# -- options: unknown, mistyped values, unknown commands -------------------------------------------

def command_lines(db, tmp_path):
    """One valid call of every command (its required arguments), to add a bad option to."""
    return {
        "extract": ["extract", tmp_path / "a.txt"], "eval": ["eval", tmp_path / "gold.json"],
        "ingest": ["ingest", tmp_path / "a.txt", "--db", db], "recode": ["recode", "--db", db],
        "errors": ["errors", "--db", db], "events": ["events", "--db", db], "stories": ["stories", "--db", db],
        "stats": ["stats", "--db", db], "export": ["export", tmp_path / "out", "--db", db, "--format", "csv"],
        "load": ["load", tmp_path / "parts", "--db", db], "serve": ["serve", "--db", db],
    }


@pytest.mark.parametrize("command", ["extract", "eval", "ingest", "recode", "errors", "events", "stories", "stats",
                                     "export", "load", "serve"])
def test_an_unknown_option_is_one_line_pointing_at_the_commands_help(tmp_path, db, capsys, command):
    before = fingerprint(db.parent)
    code, out, err = run(capsys, *command_lines(db, tmp_path)[command], "--frobnicate", "3")
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    one_error(line, "unrecognized arguments: --frobnicate 3", advice=f"see `lapwing {command} --help`")
    assert fingerprint(db.parent) == before and not (tmp_path / "out").exists()


@pytest.mark.parametrize(("args", "named", "advice"), [
    (["extrct", "a.txt"], "unknown command 'extrct'", "did you mean extract?"),
    (["extract"], "required: INPUT", "see `lapwing extract --help`"),
    (["events"], "required: --db", "see `lapwing events --help`"),
    (["extract", "a.txt", "--format", "xml"], "--format 'xml'", "use one of: text, json, jsonl"),
    (["stats", "--db", "{db}", "--format", "jsonl"], "--format 'jsonl'", "use one of: text, json"),
    (["export", "out", "--db", "{db}", "--format", "xml"], "--format: invalid choice: 'xml'", "see `lapwing export --help`"),
    (["extract", "a.txt", "--workers", "-1"], "--workers -1", "0 for all cores"),
    (["ingest", "a.txt", "--db", "{db}", "--workers", "many"], "--workers 'many'", "0 for all cores"),
    (["extract", "a.txt", "--min-confidence", "2"], "--min-confidence '2'", "a number from 0 to 1"),
    (["extract", "a.txt", "--max-bytes", "0"], "--max-bytes 0", "give the largest article size"),
    (["extract", "a.txt", "--published", "28/04/2024"], "--published: cannot read publication date '28/04/2024'",
     "give an ISO date such as 2024-04-28"),
    (["events", "--db", "{db}", "--since", "yesterday"], "--since 'yesterday'", "give YYYY-MM-DD"),
    (["events", "--db", "{db}", "--limit", "x"], "--limit: invalid int value: 'x'", "see `lapwing events --help`"),
    (["events", "--db", "{db}", "--type", "FIGHTING"], "'FIGHTING'", "use one of"),
    (["stories", "--db", "{db}", "--min-sources", "0"], "--min-sources 0", "1 or more"),
    (["ingest", "a.txt", "--db", "{db}", "--lock-timeout", "-1"], "--lock-timeout -1", "give seconds to wait"),
    (["serve", "--db", "{db}", "--port", "99999"], "--port 99999", "give a number from 1 to 65535"),
    (["extract", "a.txt", "--actors", "nowhere.yaml"], "--actors nowhere.yaml", "check the path"),
])
def test_a_bad_option_value_is_one_line_naming_the_option(tmp_path, db, capsys, monkeypatch, args, named, advice):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Police arrested students in Nairobi.\n", encoding="utf-8")
    before = fingerprint(db.parent)
    code, out, err = run(capsys, *(str(db) if a == "{db}" else a for a in args))
    assert code == 2 and out == ""
    (line,) = err.splitlines()
    one_error(line, named, advice=advice)
    assert fingerprint(db.parent) == before and not (tmp_path / "out").exists()


# -- the database: locked, read-only, newer, not a store, a folder, missing ------------------------

@pytest.fixture()
def quick_locks(monkeypatch):
    """Commands without --lock-timeout wait 5 s for a lock: the tests wait 0.2 s."""
    real = Store.open.__func__

    def open_quickly(cls, path, **kwargs):
        return real(cls, path, **{**kwargs, "timeout": min(kwargs.get("timeout", 5.0), 0.2)})

    monkeypatch.setattr(Store, "open", classmethod(open_quickly))


def test_a_locked_store_is_one_line_naming_it_and_is_left_as_it_was(no_engine, quick_locks, tmp_path, db, capsys):
    (tmp_path / "new.txt").write_text("Troops shelled the town.\n", encoding="utf-8")
    before = fingerprint(db.parent)
    other = sqlite3.connect(db, isolation_level=None)
    other.execute("BEGIN EXCLUSIVE")  # another writer holds the write lock
    try:
        for args in (["ingest", tmp_path / "new.txt", "--db", db, "--workers", "1", "--lock-timeout", "0.1"],
                     ["recode", "--db", db, "--all", "--workers", "1", "--lock-timeout", "0.1"],
                     ["stories", "--db", db]):
            code, out, err = run(capsys, *args)
            assert code == 2, args
            one_error(err, db, advice="wait for it to finish, then run again")
            assert "locked by another writer" in err
        # readers are not held up by a writer (WAL): they answer as usual
        for args in (["events", "--db", db], ["stats", "--db", db], ["errors", "--db", db],
                     ["stories", "--db", db, "--no-update"]):
            assert run(capsys, *args)[0] == 0, args
    finally:
        other.execute("ROLLBACK")
        other.close()
    assert fingerprint(db.parent) == before


def newer(db):
    connection = sqlite3.connect(db)
    connection.execute("INSERT INTO schema_migrations VALUES (?, 'from the future', 'later')", (LATEST + 1,))
    connection.commit()
    connection.close()
    return db


def store_commands(db, tmp_path):
    (tmp_path / "a.txt").write_text("Police arrested students.\n", encoding="utf-8")
    parts = tmp_path / "parts"
    parts.mkdir(exist_ok=True)
    (parts / "_lapwing.json").write_text("{}", encoding="utf-8")  # passes load's folder check
    return [["events", "--db", db], ["stats", "--db", db], ["errors", "--db", db], ["stories", "--db", db],
            ["stories", "--db", db, "--no-update"], ["export", tmp_path / "out", "--db", db, "--format", "jsonl"],
            ["ingest", tmp_path / "a.txt", "--db", db], ["recode", "--db", db], ["load", parts, "--db", db]]


def test_a_store_of_a_newer_schema_is_refused_by_every_command_untouched(tmp_path, db, capsys):
    newer(db)
    before = fingerprint(db.parent)
    for args in store_commands(db, tmp_path):
        code, out, err = run(capsys, *args)
        assert code == 2 and out == "", args
        line = one_error(err, db, advice="upgrade Lapwing to read it")
        assert f"schema version {LATEST + 1}" in line and "the file was not changed" in line
    assert fingerprint(db.parent) == before and not (tmp_path / "out").exists()


def test_a_file_that_is_not_a_store_is_refused_untouched(tmp_path, capsys):
    folder = tmp_path / "store"
    folder.mkdir()
    notes = folder / "notes.db"
    notes.write_text("my notes, not a database\n", encoding="utf-8")
    before = fingerprint(folder)
    for args in store_commands(notes, tmp_path):
        code, out, err = run(capsys, *args)
        assert code == 2, args
        one_error(err, notes, advice="give another path")
    assert fingerprint(folder) == before


def test_a_mistyped_store_path_creates_nothing(tmp_path, capsys):
    folder = tmp_path / "store"
    folder.mkdir()
    typo = folder / "evnets.db"
    for args in store_commands(typo, tmp_path):
        if args[0] in ("ingest", "load"):
            continue  # these create a store on purpose
        code, out, err = run(capsys, *args)
        assert code == 2, args
        one_error(err, typo, advice=f"create it with `lapwing ingest ... --db {typo}`")
    code, out, err = run(capsys, "ingest", tmp_path / "a.txt", "--db", tmp_path / "nofolder" / "e.db")
    assert code == 2
    one_error(err, tmp_path / "nofolder", advice="give a --db path in a writable folder")
    code, out, err = run(capsys, "events", "--db", folder)
    assert code == 2
    one_error(err, folder, advice="give a database file path")
    assert list(folder.iterdir()) == [] and not (tmp_path / "nofolder").exists()


def test_a_store_in_a_read_only_folder_refuses_writes_in_one_line_untouched(tmp_path, db):
    (tmp_path / "a.txt").write_text("Police arrested students.\n", encoding="utf-8")
    folder = db.parent
    folder.chmod(0o555)
    try:
        prefix = _unprivileged(folder)
        before = fingerprint(folder)
        for args in (("ingest", tmp_path / "a.txt", "--db", db), ("recode", "--db", db), ("stories", "--db", db),
                     ("ingest", tmp_path / "a.txt", "--db", folder / "new.db")):
            code, out, err = lapwing(prefix, *args)
            assert code == 2 and out == "", args
            one_error(err, folder, advice="writable folder")
            assert "read-only" in err
        code, out, err = lapwing(prefix, "events", "--db", db)
        assert code == 0 and err == ""  # reading still works
        assert fingerprint(folder) == before
    finally:
        folder.chmod(0o755)


def test_a_read_only_store_file_refuses_writes_in_one_line_untouched(tmp_path, db):
    (tmp_path / "a.txt").write_text("Police arrested students.\n", encoding="utf-8")
    db.chmod(0o444)
    try:
        probe = tmp_path / "probe"  # _unprivileged checks that a read-only folder stops the process
        probe.mkdir(mode=0o555)
        prefix = _unprivileged(probe)
        before = fingerprint(db.parent)
        code, out, err = lapwing(prefix, "ingest", tmp_path / "a.txt", "--db", db)
        assert code == 2 and out == ""
        one_error(err, db, advice="fix the permissions")
        assert "is read-only" in err
        assert fingerprint(db.parent) == before
    finally:
        db.chmod(0o644)


# -- serve on a busy port; mistyped input paths ----------------------------------------------------

def test_serve_on_a_busy_port_is_one_line_naming_the_port_and_leaves_the_store(tmp_path, db, capsys, monkeypatch):
    pytest.importorskip("uvicorn")
    import uvicorn

    monkeypatch.setattr(uvicorn, "run", lambda *a, **k: pytest.fail("must not start"))
    before = fingerprint(db.parent)
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code, out, err = run(capsys, "serve", "--db", db, "--port", port)
    assert code == 2
    one_error(err, f"port {port}", advice=f"--port {port + 1}")
    assert fingerprint(db.parent) == before


def test_mistyped_input_paths_are_one_line_and_never_recorded(no_engine, tmp_path, db, capsys):
    before = fingerprint(db.parent)
    typo = tmp_path / "artcles.jsonl"
    code, out, err = run(capsys, "ingest", typo, "--db", db)
    assert code == 2
    one_error(err, typo, advice="check the path")
    assert "nothing was ingested" in err
    code, out, err = run(capsys, "ingest", tmp_path / "news" / "*.txt", "--db", db)
    assert code == 2
    one_error(err, tmp_path / "news" / "*.txt", advice="check the path")
    code, out, err = run(capsys, "extract", typo)
    assert code == 1
    one_error(err, typo, advice="check the path")
    code, out, err = run(capsys, "eval", tmp_path / "gold.jsn")
    assert code == 2
    one_error(err, tmp_path / "gold.jsn", advice="give a UTF-8 JSON or JSONL file")
    code, out, err = run(capsys, "load", tmp_path / "parts", "--db", db)
    assert code == 2
    one_error(err, tmp_path / "parts", advice="check the path")
    (tmp_path / "a.txt").write_text("Police arrested students.\n", encoding="utf-8")
    code, out, err = run(capsys, "extract", tmp_path / "a.txt", "-o", tmp_path / "nofolder" / "out.json")
    assert code == 2
    one_error(err, tmp_path / "nofolder" / "out.json", advice="give -o a file in an existing, writable folder")
    code, out, err = run(capsys, "errors", "--db", db, "--format", "json")
    assert code == 0 and json.loads(out) == []  # nothing mistyped was recorded
    assert fingerprint(db.parent) == before
