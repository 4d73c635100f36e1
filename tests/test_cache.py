"""The on-disk cache of derived data: used when it matches, rebuilt when it does not, never fatal."""

from __future__ import annotations

import marshal
import random
from pathlib import Path

import pytest

from lapwing import cache
from lapwing.gazetteer import DEFAULT_MIN_CITY_POPULATION, Gazetteer, _build_index_now, _Index, _lookup
from lapwing.lexicon import load_words_yaml


@pytest.fixture()
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("LAPWING_CACHE_DIR", str(tmp_path / "cache"))
    return tmp_path / "cache"


class Builder:
    def __init__(self, value: object) -> None:
        self.value, self.calls = value, 0

    def __call__(self) -> object:
        self.calls += 1
        return self.value


def test_a_second_call_reads_the_entry(cache_dir: Path):
    build = Builder({"a": [1, 2], "b": "x"})
    assert cache.cached("thing", "k1", build) == {"a": [1, 2], "b": "x"}
    assert cache.cached("thing", "k1", build) == {"a": [1, 2], "b": "x"}
    assert build.calls == 1
    assert [p.name for p in cache_dir.iterdir()] == ["thing-k1.bin"]  # no temporary file left


def test_another_key_is_built_again(cache_dir: Path):
    cache.cached("thing", "k1", Builder(1))
    build = Builder(2)
    assert cache.cached("thing", "k2", build) == 2 and build.calls == 1
    assert cache.make_key("a", 1) != cache.make_key("a", 2) != cache.make_key(b"a", 2)


@pytest.mark.parametrize("damage", ["truncate", "flip", "garbage"])
def test_a_damaged_entry_is_rebuilt(cache_dir: Path, damage: str):
    cache.cached("thing", "k", Builder(list(range(1000))))
    path = cache_dir / "thing-k.bin"
    data = bytearray(path.read_bytes())
    if damage == "truncate":
        data = data[:-10]
    elif damage == "flip":
        data[-5] ^= 0xFF
    else:
        data = bytearray(b"not a cache entry")
    path.write_bytes(bytes(data))
    build = Builder(list(range(1000)))
    assert cache.cached("thing", "k", build) == list(range(1000)) and build.calls == 1
    assert cache.cached("thing", "k", build) == list(range(1000)) and build.calls == 1  # rewritten


def test_an_entry_that_does_not_decode_is_rebuilt(cache_dir: Path):
    cache.cached("thing", "k", Builder((1, 2)))
    build = Builder((1, 2, 3))

    def decode(value):
        if len(value) != 3:
            raise ValueError("old layout")
        return value

    assert cache.cached("thing", "k", build, decode=decode) == (1, 2, 3) and build.calls == 1


def test_no_usable_directory_still_works(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    for setting in (str(blocker / "cache"), ""):  # cannot be created; caching turned off
        monkeypatch.setenv("LAPWING_CACHE_DIR", setting)
        build = Builder(5)
        assert cache.cached("thing", "k", build) == 5
        assert cache.cached("thing", "k", build) == 5 and build.calls == 2


def test_a_value_marshal_cannot_hold_is_returned_but_not_kept(cache_dir: Path):
    import datetime as dt

    build = Builder({"when": dt.date(2025, 3, 12)})
    assert cache.cached("thing", "k", build)["when"] == dt.date(2025, 3, 12)
    assert not (cache_dir / "thing-k.bin").exists()


def test_yaml_from_the_cache_equals_a_fresh_parse(cache_dir: Path):
    text = "a: on\nb: [yes, no, true]\nc: {d: 1.5, e: null}\n"
    first, second = load_words_yaml(text, "t"), load_words_yaml(text, "t")
    assert first == second == {"a": "on", "b": ["yes", "no", True], "c": {"d": 1.5, "e": None}}
    assert len(list(cache_dir.glob("t-*.bin"))) == 1


def test_the_cached_gazetteer_index_answers_like_a_fresh_one(cache_dir: Path):
    fresh = _build_index_now(DEFAULT_MIN_CITY_POPULATION, None)
    restored = _Index.decode(marshal.loads(marshal.dumps(fresh.encode())))
    assert len(restored) == len(fresh) and restored.not_places == fresh.not_places
    keys = list(fresh.normalized.slots)
    random.Random(7).shuffle(keys)
    for key in keys[:3000]:
        assert list(restored.normalized.get(key)) == list(fresh.normalized.get(key))
    for key in list(fresh.folded.slots)[:3000]:
        assert list(restored.folded.get(key)) == list(fresh.folded.get(key))
    assert [restored.entry(i) for i in range(0, len(fresh), 97)] == [fresh.entry(i) for i in range(0, len(fresh), 97)]


def test_the_gazetteer_is_read_back_from_the_cache(cache_dir: Path):
    from lapwing import gazetteer

    gazetteer._build_index.cache_clear()
    _lookup.cache_clear()
    try:
        first = Gazetteer.default().lookup("Deir al-Balah")
        assert list(cache_dir.glob("gazetteer15000-*.bin"))
        gazetteer._build_index.cache_clear()
        _lookup.cache_clear()
        assert Gazetteer.default().lookup("Deir al-Balah") == first
    finally:
        gazetteer._build_index.cache_clear()
        _lookup.cache_clear()
