"""The `lapwing` command end to end: formats, standard input, bad input and exit codes."""

from __future__ import annotations

import io
import json
import sys
from pathlib import Path

import pytest

from lapwing.cli import main

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "sudan-talks.txt"
pytestmark = pytest.mark.model


def run(capsys, *args, stdin: str | None = None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(stdin.encode("utf-8"))))
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_extract_example_as_table_shows_events(capsys):
    code, out, err = run(capsys, "extract", str(EXAMPLE), "--published", "2025-03-12")
    assert code == 0, err
    assert "published 2025-03-12" in out
    assert "ASSAULT" in out and "CONSULT" in out and "killed=~23" in out  # "at least 23"


def test_extract_json_is_one_object_per_article_with_offsets_into_the_text(capsys):
    code, out, _ = run(capsys, "extract", str(EXAMPLE), "--published", "2025-03-12", "--format", "json")
    assert code == 0
    data = json.loads(out)
    text = EXAMPLE.read_text(encoding="utf-8")
    assert data["article"]["published"] == "2025-03-12" and data["events"]
    for event in data["events"]:
        for span in (event["trigger"], event["evidence"], *event["actors"], *event["recipients"]):
            assert text[span["start"] : span["end"]] == span["text"]


def test_extract_jsonl_from_standard_input_keeps_record_ids(capsys, monkeypatch):
    record = {"id": "story-1", "text": "Police arrested 12 protesters in Nairobi on Tuesday.", "published": "2024-06-26"}
    code, out, _ = run(capsys, "extract", "-", "--format", "jsonl", stdin=json.dumps(record) + "\n", monkeypatch=monkeypatch)
    assert code == 0
    (event,) = [json.loads(line) for line in out.splitlines()]
    assert event["article_id"] == "story-1" and event["event_type"] == "COERCE"
    start = record["text"].index("Tuesday")
    assert event["date"] == {
        "text": "Tuesday", "value": "2024-06-25", "granularity": "day", "basis": "text", "start": start, "end": start + 7,
    }


def test_a_bad_record_is_reported_and_the_rest_of_the_batch_runs(capsys, tmp_path):
    batch = tmp_path / "batch.jsonl"
    batch.write_text('{"id": "a", "text": "Troops shelled the town."}\nnot json\n{"id": "c"}\n', encoding="utf-8")
    code, out, err = run(capsys, "extract", str(batch), "--format", "jsonl")
    assert code == 1
    assert f"{batch}:2: line is not valid JSON" in err and f"{batch}:3: record has no 'text' field" in err
    assert json.loads(out.splitlines()[0])["article_id"] == "a"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--format", "xml"], "unknown --format 'xml'"),
        (["--published", "28/04/2024"], "cannot read publication date '28/04/2024'"),
    ],
)
def test_bad_options_exit_2_with_a_one_line_error(capsys, args, message):
    code, out, err = run(capsys, "extract", str(EXAMPLE), *args)
    assert code == 2 and out == ""
    assert message in err and len(err.strip().splitlines()) == 1


def test_empty_binary_and_non_utf8_files_are_each_named(capsys, tmp_path):
    empty, binary, latin = tmp_path / "empty.txt", tmp_path / "blob.txt", tmp_path / "latin.txt"
    empty.write_bytes(b"")
    binary.write_bytes(b"\x00\x01\x02" * 50)
    latin.write_bytes("Caf\xe9 talks".encode("latin-1"))
    code, _, err = run(capsys, "extract", str(empty), str(binary), str(latin))
    assert code == 1
    assert f"{empty}:" in err and f"{binary}:" in err and "not UTF-8" in err


def test_without_a_publication_date_relative_dates_stay_unresolved(capsys, tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Rebels attacked a convoy near Goma on Sunday.", encoding="utf-8")
    code, out, _ = run(capsys, "extract", str(article), "--format", "jsonl")
    assert code == 0
    (event,) = [json.loads(line) for line in out.splitlines()]
    assert event["date"]["text"] == "Sunday" and event["date"]["value"] is None
