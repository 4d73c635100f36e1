"""Who and where: score the engine on the team's phrase set (tests/data/who_where.jsonl).

Each line is one case: a short news text with its publication date, and either an actor (the exact
words of the text that name it, with the expected country and sector at that date) or a place (the
exact words, with the expected gazetteer name, country and precision). The engine codes every text
as it would any article (`lapwing.extract_many`, default options); the scorer takes the actor or
place the engine found over the marked words and compares.

    python -m lapwing.eval.who_where tests/data/who_where.jsonl [--failures N] [--json]

Case format (JSON Lines, one object a line):

- `id`, `case` (the category), `text`, `published` (ISO date);
- an actor case: `actor` (exact words; `nth` picks the nth occurrence, default 1), `country` (ISO
  alpha-3 or IGO/UNO/EUR/NGO/ISM/IMG/MNC), `sector` (a PLOVER sector, or null when only the country
  is checked), optional `no_place: true` (the words must not be read as a place, as a surname that
  is also a town);
- a place case: `place` (exact words; `nth` as above), `place_name`, `place_country` (null for a
  region that belongs to no country), optional `precision` (`point`, `admin`, `country`, `region`)
  and `place_alt` (other spellings of the same place's name).

Which record the engine gave for the marked words: every actor of `doc.mentions` and of the events'
actors and recipients (the events' may be filled further, by the article pass), and every place of
`doc.places` and of the events' locations, whose characters overlap the marked words; the one that
overlaps most wins (ties: an event's record, then the shorter). Nothing overlapping is a miss.

Precision comes from the record's `precision` when it has one; otherwise from `feature`: a city is
a `point`, a country a `country`, a region with a country an `admin` (a province, a state), a region
with none a `region` ("Middle East").
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

NON_STATE = frozenset({"IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"})
SECTORS = frozenset(
    "COP GOV JUD LEG MIL PTY REB SPY UAF CVL BUS CRM EDU ELI JRN LAB MED REF OPP PRE REL SOC AGR PRM".split()
)
PRECISIONS = frozenset({"point", "admin", "country", "region"})
_ACTOR_KEYS = {"id", "case", "text", "published", "actor", "nth", "country", "sector", "no_place"}
_PLACE_KEYS = {"id", "case", "text", "published", "place", "nth", "place_name", "place_country", "precision", "place_alt"}
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_CODE = re.compile(r"^[A-Z]{3}$")


class CaseError(ValueError):
    """A malformed case file: names the line and what is wrong."""


@dataclass(frozen=True)
class Case:
    id: str
    case: str
    text: str
    published: str
    kind: str  # "actor" | "place"
    words: str
    start: int
    end: int
    country: str | None
    sector: str | None = None
    no_place: bool = False
    place_name: str | None = None
    precision: str | None = None
    place_alt: tuple[str, ...] = ()


@dataclass
class Outcome:
    case: Case
    passed: bool
    found: bool
    country_ok: bool
    sector_ok: bool | None  # None: not checked
    got: dict[str, Any]
    why: str = ""


@dataclass
class Result:
    outcomes: list[Outcome]
    seconds: float = 0.0
    per_case: dict[str, tuple[int, int]] = field(default_factory=dict)  # category -> (passed, total)

    @property
    def total(self) -> int:
        return len(self.outcomes)

    @property
    def passed(self) -> int:
        return sum(o.passed for o in self.outcomes)

    @property
    def pass_rate(self) -> float:
        return self.passed / self.total if self.total else 0.0

    def rate(self, kind: str, attr: str) -> tuple[int, int]:
        """(right, checked) of `attr` ('country_ok', 'sector_ok', 'passed', 'found') over cases of `kind`."""
        values = [getattr(o, attr) for o in self.outcomes if o.case.kind == kind and getattr(o, attr) is not None]
        return sum(bool(v) for v in values), len(values)


# ----------------------------------------------------------------------------- reading


def _span(text: str, words: str, nth: int) -> tuple[int, int] | None:
    start = -1
    for _ in range(nth):
        start = text.find(words, start + 1)
        if start < 0:
            return None
    return start, start + len(words)


def validate(record: Any, where: str) -> list[str]:
    """What is wrong with one case record ([] when it is well formed)."""
    if not isinstance(record, dict):
        return [f"{where}: not a JSON object"]
    problems = []
    kind = "actor" if "actor" in record else "place" if "place" in record else None
    if kind is None:
        return [f"{where}: has neither 'actor' nor 'place'"]
    if "actor" in record and "place" in record:
        problems.append(f"{where}: has both 'actor' and 'place'")
    allowed = _ACTOR_KEYS if kind == "actor" else _PLACE_KEYS
    extra = set(record) - allowed
    if extra:
        problems.append(f"{where}: unknown keys {sorted(extra)}")
    for key in ("id", "case", "text", "published", kind):
        if not isinstance(record.get(key), str) or not record.get(key):
            problems.append(f"{where}: '{key}' must be a non-empty string")
    if problems:
        return problems
    if not _DATE.match(record["published"]):
        problems.append(f"{where}: published {record['published']!r} is not YYYY-MM-DD")
    nth = record.get("nth", 1)
    if not isinstance(nth, int) or isinstance(nth, bool) or nth < 1:
        problems.append(f"{where}: nth must be a whole number >= 1")
    elif _span(record["text"], record[kind], nth) is None:
        problems.append(f"{where}: {kind} {record[kind]!r} (occurrence {nth}) is not in the text")
    if kind == "actor":
        country = record.get("country")
        if not isinstance(country, str) or not (_CODE.match(country)):
            problems.append(f"{where}: country {country!r} is not an alpha-3 or non-state code")
        sector = record.get("sector")
        if sector is not None and sector not in SECTORS:
            problems.append(f"{where}: sector {sector!r} is not a PLOVER sector")
        if "no_place" in record and not isinstance(record["no_place"], bool):
            problems.append(f"{where}: no_place must be true or false")
    else:
        if not isinstance(record.get("place_name"), str) or not record.get("place_name"):
            problems.append(f"{where}: place_name must be a non-empty string")
        country = record.get("place_country")
        if country is not None and (not isinstance(country, str) or not _CODE.match(country) or country in NON_STATE):
            problems.append(f"{where}: place_country {country!r} must be an alpha-3 code or null")
        precision = record.get("precision")
        if precision is not None and precision not in PRECISIONS:
            problems.append(f"{where}: precision {precision!r} is not one of {sorted(PRECISIONS)}")
        alt = record.get("place_alt", [])
        if not isinstance(alt, list) or not all(isinstance(a, str) and a for a in alt):
            problems.append(f"{where}: place_alt must be a list of names")
    return problems


def load_cases(path: str | Path) -> list[Case]:
    """Read and check the case file; CaseError lists every problem (line numbers 1-based)."""
    problems: list[str] = []
    cases: list[Case] = []
    seen: set[str] = set()
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            if not line.strip():
                continue
            where = f"{path}:{n}"
            try:
                record = json.loads(line)
            except json.JSONDecodeError as exc:
                problems.append(f"{where}: not JSON ({exc.msg})")
                continue
            found = validate(record, where)
            if not found and record["id"] in seen:
                found = [f"{where}: duplicate id {record['id']!r}"]
            if found:
                problems += found
                continue
            seen.add(record["id"])
            kind = "actor" if "actor" in record else "place"
            start, end = _span(record["text"], record[kind], record.get("nth", 1))  # type: ignore[misc]
            cases.append(Case(
                id=record["id"], case=record["case"], text=record["text"], published=record["published"],
                kind=kind, words=record[kind], start=start, end=end,
                country=record["country"] if kind == "actor" else record.get("place_country"),
                sector=record.get("sector"), no_place=bool(record.get("no_place", False)),
                place_name=record.get("place_name"), precision=record.get("precision"),
                place_alt=tuple(record.get("place_alt", ())),
            ))  # fmt: skip
    if problems:
        raise CaseError("\n".join(problems))
    return cases


# ----------------------------------------------------------------------------- scoring


def normalize_name(name: str) -> str:
    """Case, accents, punctuation and spacing ignored: "Kup'yans'k" ~ "Kupyansk", "al-Mawasi" ~ "Al Mawasi"."""
    text = unicodedata.normalize("NFKD", name)
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    return re.sub(r"[^a-z0-9]+", "", text)


def precision_of(place: Any) -> str | None:
    explicit = getattr(place, "precision", None)
    if explicit:
        return str(explicit)
    feature = getattr(place, "feature", None)
    if feature == "city":
        return "point"
    if feature == "country":
        return "country"
    if feature == "region":
        return "admin" if getattr(place, "country", None) else "region"
    return feature


def _overlap(a0: int, a1: int, b0: int, b1: int) -> int:
    return max(0, min(a1, b1) - max(a0, b0))


def _best(case: Case, candidates: Iterable[tuple[Any, bool]]) -> Any | None:
    """The record overlapping the marked words most (ties: an event's record, then the shorter)."""
    best, key = None, None
    for record, from_event in candidates:
        size = _overlap(case.start, case.end, record.start, record.end)
        if size <= 0:
            continue
        k = (size, from_event, -(record.end - record.start))
        if key is None or k > key:
            best, key = record, k
    return best


def _actor_candidates(doc: Any) -> list[tuple[Any, bool]]:
    out = [(m.actor, False) for m in doc.mentions]
    for event in doc.events:
        out += [(a, True) for a in (*event.actors, *event.recipients)]
    return out


def _place_candidates(doc: Any) -> list[tuple[Any, bool]]:
    out = [(p, False) for p in doc.places]
    out += [(e.location, True) for e in doc.events if getattr(e, "location", None) is not None]
    return out


def _missing(doc: Any, case: Case, what: str) -> str:
    """Why nothing was found: the parser never saw the sentence (the prefilter found no trigger word), or not."""
    for sent in getattr(doc, "sentences", ()):
        if sent.start <= case.start < sent.end and not sent.parsed:
            return f"no {what}: sentence not parsed"
    return f"no {what} over the words"


def score_case(case: Case, doc: Any) -> Outcome:
    """One case against the engine's doc for its text."""
    if case.kind == "actor":
        actor = _best(case, _actor_candidates(doc))
        if actor is None:
            return Outcome(case, False, False, False, False if case.sector else None, {}, _missing(doc, case, "actor"))
        got = {"text": actor.text, "country": actor.country, "sector": actor.sector,
               "basis": getattr(actor, "basis", None), "kb_id": getattr(actor, "kb_id", None)}
        country_ok = actor.country == case.country
        sector_ok = None if case.sector is None else actor.sector == case.sector
        why = []
        if not country_ok:
            why.append("country")
        if sector_ok is False:
            why.append("sector")
        if case.no_place:
            place = _best(case, _place_candidates(doc))
            if place is not None:
                got["place"] = f"{place.name} ({place.country})"
                why.append("read as a place")
        return Outcome(case, not why, True, country_ok, sector_ok, got, ", ".join(why))
    place = _best(case, _place_candidates(doc))
    if place is None:
        return Outcome(case, False, False, False, None, {}, _missing(doc, case, "place"))
    got = {"text": place.text, "name": place.name, "country": place.country, "precision": precision_of(place)}
    names = {normalize_name(n) for n in (case.place_name or "", *case.place_alt)}
    why = []
    country_ok = place.country == case.country
    if not country_ok:
        why.append("country")
    if normalize_name(place.name) not in names:
        why.append("name")
    if case.precision and got["precision"] != case.precision:
        why.append("precision")
    return Outcome(case, not why, True, country_ok, None, got, ", ".join(why))


def score(cases: Sequence[Case], docs: Sequence[Any], seconds: float = 0.0) -> Result:
    outcomes = [score_case(c, d) for c, d in zip(cases, docs, strict=True)]
    per_case: dict[str, tuple[int, int]] = {}
    for o in outcomes:
        p, t = per_case.get(o.case.case, (0, 0))
        per_case[o.case.case] = (p + o.passed, t + 1)
    return Result(outcomes, seconds, per_case)


def run(path: str | Path, *, workers: int = 1, options: Any = None) -> Result:
    """Load the cases, code every text with the engine, score."""
    from ..api import EngineOptions, extract_many

    cases = load_cases(path)
    options = options or EngineOptions()
    items = [{"id": c.id, "text": c.text, "published": c.published} for c in cases]
    t0 = time.perf_counter()
    docs = list(extract_many(items, workers=workers, options=options))
    return score(cases, docs, time.perf_counter() - t0)


# ----------------------------------------------------------------------------- report


def format_report(result: Result, failures: int = 15) -> str:
    r = result
    ac, an = r.rate("actor", "country_ok")
    sc, sn = r.rate("actor", "sector_ok")
    pp, pn = r.rate("place", "passed")
    lines = [
        f"{r.total} cases, {r.passed} passed: {r.pass_rate:.3f} ({r.seconds:.1f} s)",
        f"actors: country {ac}/{an} = {ac / an if an else 0:.3f}; sector where given {sc}/{sn} = "
        f"{sc / sn if sn else 0:.3f}; places: {pp}/{pn} = {pp / pn if pn else 0:.3f}",
        "",
        f"{'case':<18} {'n':>4} {'pass':>5} {'rate':>6}  {'country':>7}",
    ]
    for name in sorted(r.per_case):
        p, t = r.per_case[name]
        cs = [o for o in r.outcomes if o.case.case == name]
        c_ok = sum(o.country_ok for o in cs)
        lines.append(f"{name:<18} {t:>4} {p:>5} {p / t:>6.3f}  {c_ok / t:>7.3f}")
    lines.append(f"{'all':<18} {r.total:>4} {r.passed:>5} {r.pass_rate:>6.3f}  "
                 f"{sum(o.country_ok for o in r.outcomes) / max(1, r.total):>7.3f}")
    failed = [o for o in r.outcomes if not o.passed]
    if failures and failed:
        lines += ["", f"First {min(failures, len(failed))} of {len(failed)} failures"]
        for o in failed[:failures]:
            c = o.case
            want = (f"{c.country}/{c.sector}" if c.kind == "actor"
                    else f"{c.place_name} ({c.country}) {c.precision or ''}".rstrip())
            got = _got(o)
            lines.append(f"  {c.id} [{o.why}] {c.words!r} @{c.published}: got {got}; want {want}")
    return "\n".join(lines)


def _got(o: Outcome) -> str:
    g = o.got
    if not o.found:
        return "nothing"
    if o.case.kind == "actor":
        s = f"{g['country']}/{g['sector']} ({g['text']!r}, basis {g['basis']})"
        return s + (f", place {g['place']}" if "place" in g else "")
    return f"{g['name']} ({g['country']}) {g['precision']}"


def to_dict(result: Result) -> dict[str, Any]:
    return {
        "total": result.total, "passed": result.passed, "pass_rate": result.pass_rate,
        "per_case": {k: {"passed": p, "total": t, "rate": p / t} for k, (p, t) in sorted(result.per_case.items())},
        "failures": [
            {"id": o.case.id, "case": o.case.case, "words": o.case.words, "why": o.why, "got": o.got}
            for o in result.outcomes if not o.passed
        ],
    }  # fmt: skip


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m lapwing.eval.who_where", description=__doc__.split("\n")[0])
    parser.add_argument("path", help="the case file (JSON Lines)")
    parser.add_argument("--failures", type=int, default=15, help="failures to list (default 15; 0 for none)")
    parser.add_argument("--case", help="only cases of this category")
    parser.add_argument("--json", action="store_true", help="print JSON instead of the table")
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument(
        "--every-sentence", action="store_true",
        help="parse every sentence, not only those the pre-filter finds a trigger word in: scores how "
             "names resolve wherever they stand, not what reaches a record",
    )
    args = parser.parse_args(argv)
    try:
        from ..api import EngineOptions

        result = run(args.path, workers=args.workers, options=EngineOptions(prefilter=not args.every_sentence))
    except (OSError, CaseError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    if args.case:
        if args.case not in result.per_case:
            print(f"error: no cases of {args.case!r}; known: {', '.join(sorted(result.per_case))}", file=sys.stderr)
            return 2
        kept = [o for o in result.outcomes if o.case.case == args.case]
        result = Result(kept, result.seconds, {args.case: result.per_case[args.case]})
    if args.json:
        print(json.dumps(to_dict(result), indent=2))
    else:
        print(format_report(result, failures=args.failures))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
