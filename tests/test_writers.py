"""Writers: JSON, JSON Lines and the analyst's table, from hand-built Docs."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest

from lapwing.doc import Doc
from lapwing.errors import InputError
from lapwing.io.writers import FORMATS, format_table, write, write_json, write_jsonl
from lapwing.records import Actor, Article, DateRef, Event, Place, Quantity, Span

TEXT = (
    "Joe Biden met Volodymyr Zelenskyy in Kyiv on Monday. "
    "Russian forces shelled Kharkiv overnight, killing seven people and wounding about 40, "
    "regional officials in the city said in a long statement that went on to describe the damage."
)


def span(text: str, word: str) -> Span:
    start = text.index(word)
    return Span(word, start, start + len(word))


def actor(name: str, country: str | None, word: str) -> Actor:
    s = span(TEXT, word)
    return Actor(word, name, country, "government", s.start, s.end)


def sentence(n: int) -> Span:
    starts = [0, TEXT.index("Russian")]
    ends = [TEXT.index("Russian") - 1, len(TEXT)]
    return Span(TEXT[starts[n] : ends[n]], starts[n], ends[n])


def make_event(**changes) -> Event:
    fields = dict(
        id="ev1",
        article_id="art1",
        event_type="CONSULT",
        mode="visit",
        quad=1,
        intensity=2.5,
        contexts=("diplomatic",),
        modality="asserted",
        actors=(actor("Joe Biden", "USA", "Joe Biden"),),
        recipients=(actor("Volodymyr Zelenskyy", "UKR", "Volodymyr Zelenskyy"),),
        trigger=span(TEXT, "met"),
        evidence=sentence(0),
        confidence=0.8765,
        date=DateRef("Monday", "2024-04-22", "day", "text", TEXT.index("Monday"), TEXT.index("Monday") + 6),
        location=Place("Kyiv", "Kyiv", "UKR", "Kyiv City", 50.45, 30.52, 703448, TEXT.index("Kyiv"),
                       TEXT.index("Kyiv") + 4),
    )
    fields.update(changes)
    return Event(**fields)


ASSAULT = make_event(
    id="ev2",
    event_type="ASSAULT",
    mode="heavy-weapons",
    quad=4,
    intensity=-9.0,
    contexts=("military",),
    actors=(actor("Russia", "RUS", "Russian"),),
    recipients=(),
    trigger=span(TEXT, "shelled"),
    evidence=sentence(1),
    confidence=0.5,
    date=DateRef(None, None, "unknown", "unknown"),
    location=None,
    quantities=(
        Quantity("killed", 7.0, False, None, "seven", TEXT.index("seven"), TEXT.index("seven") + 5),
        Quantity("injured", 40.0, True, None, "about 40", TEXT.index("about 40"), TEXT.index("about 40") + 8),
    ),
)

ARTICLE = Article(text=TEXT, id="art1", title="Biden visits Kyiv", published=dt.date(2024, 4, 23))


def doc(*events: Event, article: Article = ARTICLE) -> Doc:
    return Doc(article, events=events)


# --- JSON and JSONL -------------------------------------------------------------------------


def test_write_json_is_the_doc_dict_indented_with_unicode_kept():
    out = io.StringIO()
    article = Article(text=TEXT, id="art1", title="Zelenskyy à Kyiv")
    write_json(doc(make_event(), article=article), out)
    value = out.getvalue()
    assert value.endswith("}\n")
    assert json.loads(value) == doc(make_event(), article=article).to_dict()
    assert "Zelenskyy à Kyiv" in value  # not \u00e0
    assert '\n  "article": {' in value


def test_write_jsonl_is_one_compact_line_per_event():
    out = io.StringIO()
    events = (make_event(), ASSAULT)
    write_jsonl(doc(*events), out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 2 and out.getvalue().endswith("\n")
    assert [json.loads(line) for line in lines] == [event.to_dict() for event in events]
    assert ", " not in lines[0].split('"evidence"')[0]  # compact separators outside strings


def test_write_jsonl_with_no_events_writes_nothing():
    out = io.StringIO()
    write_jsonl(doc(), out)
    assert out.getvalue() == ""


@pytest.mark.parametrize("fmt", FORMATS)
def test_write_dispatches_every_format(fmt):
    out = io.StringIO()
    write(doc(make_event()), fmt, out)
    assert "Joe Biden" in out.getvalue()


def test_write_rejects_unknown_format_naming_the_valid_ones():
    with pytest.raises(InputError) as info:
        write(doc(), "csv", io.StringIO())
    assert "'csv'" in info.value.message
    assert all(fmt in info.value.message for fmt in FORMATS)


# --- table ----------------------------------------------------------------------------------


def test_table_header_names_article_and_event_count():
    header = format_table(doc(make_event(), ASSAULT)).splitlines()[0]
    assert "art1" in header and "Biden visits Kyiv" in header and "2024-04-23" in header
    assert "2 events" in header
    assert "1 event" in format_table(doc(make_event())).splitlines()[0]


def test_table_with_no_events_says_so():
    table = format_table(doc(article=Article(text=TEXT, id="art9")))
    assert "published unknown" in table.splitlines()[0]
    assert "no events found" in table


def test_table_row_shows_every_column():
    lines = format_table(doc(make_event(), ASSAULT)).splitlines()
    consult, assault = lines[2], lines[4]
    for cell in ["CONSULT (visit)", "asserted", "Joe Biden (USA)", "Volodymyr Zelenskyy (UKR)", "2024-04-22", "Kyiv",
                 "met", "0.88"]:
        assert cell in consult
    for cell in ["ASSAULT (heavy-weapons)", "Russia (RUS)", "?", "killed=7, injured=~40", "shelled", "0.50"]:
        assert cell in assault


def test_table_joins_several_actors_and_omits_missing_country():
    event = make_event(actors=(actor("Biden", "USA", "Joe Biden"), actor("aides", None, "officials")))
    row = format_table(doc(event)).splitlines()[2]
    assert "Biden (USA) + aides " in row


def test_table_columns_are_aligned():
    lines = format_table(doc(make_event(), ASSAULT)).splitlines()
    header, rows = lines[1], [lines[2], lines[4]]
    assert header.index("MODALITY") == rows[0].index("asserted") == rows[1].index("asserted")
    assert header.index("CONF") == rows[0].index("0.88") == rows[1].index("0.50")


def test_table_truncates_long_cells_and_keeps_rows_short():
    many = tuple(actor(f"Very Long Delegation Name Number {n}", "FRA", "Joe Biden") for n in range(6))
    event = make_event(actors=many, recipients=many, trigger=Span("met\nwith", 10, 18))
    lines = format_table(doc(event)).splitlines()
    row = lines[2]
    assert "…" in row
    assert all(len(line) <= 160 for line in lines)
    assert "met with" in row  # whitespace inside a cell is flattened


def test_table_evidence_line_is_indented_quoted_and_shortened_around_the_trigger():
    lines = format_table(doc(make_event(), ASSAULT)).splitlines()
    short, long = lines[3], lines[5]
    assert short == f'    "{sentence(0).text}"'
    assert long.startswith('    "') and long.endswith('"')
    assert len(long) <= 4 + 2 + 150
    assert "shelled" in long and "…" in long


def test_table_evidence_window_follows_a_late_trigger():
    long_text = "Officials said " + "that the talks went on for many hours " * 8 + "before the delegation walked out."
    start = long_text.index("walked")
    event = make_event(trigger=Span("walked", start, start + 6), evidence=Span(long_text, 0, len(long_text)))
    evidence = format_table(doc(event, article=Article(text=long_text, id="a2"))).splitlines()[3]
    assert evidence.startswith('    "…') and evidence.endswith('walked out."')
    assert len(evidence) <= 4 + 2 + 150


def test_table_row_keeps_full_type_and_mode_when_the_row_fits():
    row = format_table(doc(ASSAULT)).splitlines()[2]
    assert row.startswith("ASSAULT (heavy-weapons)  ")
