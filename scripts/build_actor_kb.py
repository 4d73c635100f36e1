"""Build Lapwing's actor knowledge base (src/lapwing/data/actor_kb.tsv.gz) from the Phoenix actor dictionaries.

The source is the CAMEO actor dictionaries the Open Event Data Alliance publishes with PETRARCH2
(MIT licence): people with dated country-sector codes (heads of state and government, ministers,
other office holders, from CountryInfo.txt), international organizations and their officials, NGOs,
companies, and armed groups. Get them at the pinned commit (docs/actors.md, "The knowledge base"):

    git clone https://github.com/openeventdata/petrarch2 /tmp/petrarch2
    git -C /tmp/petrarch2 checkout 676801cd9cb2924bbbad09f86d15c9323e7097bf
    .venv/bin/python scripts/build_actor_kb.py /tmp/petrarch2/petrarch2/data/dictionaries

The argument is the folder holding Phoenix.Countries.actors.txt, Phoenix.International.actors.txt
and Phoenix.MilNonState.actors.txt (or a bare git directory of the repository, read at the commit
given with --commit). The output is written with a fixed gzip header (no time stamp), so the same
input gives the same bytes.

What the script does with each entry of the TABARI format (a name line, "+" alias lines, and
"[CODE from-to]" code groups): names become plain words ("KI-MOON_" -> "Ki-moon"), a parenthesized
acronym becomes an alias, and every code is mapped to Lapwing's country (ISO alpha-3, or IGO UNO EUR
NGO IMG MNC) and PLOVER sector. Codes Lapwing cannot map (regions, ethnic and religious groups
without a state, CAMEO's transnational INT) are dropped, and an entry left with no code is dropped.
Entries whose only codes are a bare state (country names and their cities) are left out: the
country table already knows countries.

Political parties come from Party Facts (Bederke, Döring and Regel; MIT licence), the core parties
table its repository keeps at import/elecglob/partyfacts-core-parties.csv (country, names in the
party's language and in English, short name, first and last year):

    git clone https://github.com/hdigital/partyfactsdata /tmp/partyfactsdata
    git -C /tmp/partyfactsdata checkout 764de8978f84ba41a1c88752d6a00b9a4d05f599
    .venv/bin/python scripts/build_actor_kb.py /tmp/petrarch2/petrarch2/data/dictionaries \
        --parties /tmp/partyfactsdata/import/elecglob/partyfacts-core-parties.csv

Each party is sector PTY in its country over its years. Its names are the native and English names
(each " / " alternative), and its short name when it is an acronym of three letters or more; a
one-word name counts only in the party's own language ("Likud", not "Conservatives").
"""

from __future__ import annotations

import argparse
import csv
import gzip
import io
import re
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO / "src"))

from lapwing.actors.countries import country_name, is_known_code  # noqa: E402
from lapwing.actors.dictionary import person_key  # noqa: E402

SOURCE_REPO = "https://github.com/openeventdata/petrarch2"
SOURCE_COMMIT = "676801cd9cb2924bbbad09f86d15c9323e7097bf"
SOURCE_DIR = "petrarch2/data/dictionaries"
FILES = (
    ("C", "Phoenix.Countries.actors.txt"),
    ("I", "Phoenix.International.actors.txt"),
    ("M", "Phoenix.MilNonState.actors.txt"),
)
OUT = REPO / "src" / "lapwing" / "data" / "actor_kb.tsv.gz"
PARTIES_REPO = "https://github.com/hdigital/partyfactsdata"
PARTIES_COMMIT = "764de8978f84ba41a1c88752d6a00b9a4d05f599"
PARTIES_FILE = "import/elecglob/partyfacts-core-parties.csv"

# CAMEO country codes that are not ISO 3166 alpha-3, coded as Lapwing codes former states (docs/actors.md).
COUNTRY_FIXES = {"TMP": "TLS", "KSV": "XKX", "ROM": "ROU", "ZAR": "COD", "USR": "RUS", "YUG": "SRB",
                 "SCG": "SRB", "FRY": "SRB", "DDR": "DEU", "CSK": "CZE"}
# CAMEO prefixes that name no state: regions, religions, ethnic groups; skipped.
NOT_STATES = frozenset({"AFR", "ASA", "MEA", "SAS", "WEU", "SEA", "EAF", "LAM", "CFR", "EEU", "CAS", "WAF",
                        "NAF", "SAM", "BLK", "CAU", "CEU", "EIN", "EUR", "MDT", "NMR", "SAF", "INT", "SUN",
                        "KKL", "KNT", "HIN", "BUD", "MOS", "KRJ", "ELI", "MED", "FRN", "BAH", "ANG", "SRP"})
# CAMEO sector codes -> PLOVER sectors (SECTORS in lapwing.actors.dictionary). Unlisted codes
# (HRI, ENV, DEV, KID, religions, specific organizations) give no sector and the next code is read.
SECTOR_MAP = {
    "GOV": "GOV", "MIL": "MIL", "COP": "COP", "JUD": "JUD", "LEG": "LEG", "SPY": "SPY", "REB": "REB",
    "INS": "REB", "SEP": "REB", "OPP": "OPP", "PTY": "PTY", "UAF": "UAF", "ELI": "ELI", "BUS": "BUS",
    "CRM": "CRM", "CVL": "CVL", "EDU": "EDU", "LAB": "LAB", "REF": "REF", "REL": "REL", "AGR": "AGR",
    "MED": "JRN", "HLH": "MED", "SET": "CVL",
}
# Words that make a name an organization's, not a person's.
ORG_WORDS = frozenset("""
ARMY FORCES FORCE FRONT PARTY MINISTRY MINISTER COUNCIL GOVERNMENT POLICE COMMITTEE MOVEMENT UNION
ORGANIZATION ORGANISATION ASSOCIATION BRIGADE BRIGADES GROUP GROUPS LEAGUE BANK AGENCY COURT ASSEMBLY
PARLIAMENT COMMISSION INSTITUTE FUND PROGRAM PROGRAMME CORPORATION CORP COMPANY INC LTD CO NATIONAL
SECURITY ALLIANCE FEDERATION SOCIETY CONGRESS MISSION OFFICE DEPARTMENT TRIBUNAL NETWORK CENTER CENTRE
FOUNDATION UNITED NATIONS INTERNATIONAL WORLD REPUBLIC STATE STATES TROOPS GUARD GUARDS MILITIA
BATTALION REGIMENT CELL CELLS CORPS COMMAND AUTHORITY SERVICE SERVICES BUREAU BOARD CHAMBER
ISLAMIC LIBERATION REVOLUTIONARY PEOPLE PEOPLES POPULAR DEMOCRATIC COMMUNIST RESISTANCE JIHAD ARMED
TRUST HOLDINGS GROUP AIRLINES ENERGY OIL PETROLEUM MOTORS UNIVERSITY SCHOOL HOSPITAL RADIO TELEVISION
NEWS TIMES PRESS AGENCY COALITION SECRETARIAT
""".split())


@dataclass
class Span:
    country: str | None  # None for CAMEO's null code [---]
    sector: str | None
    start: str = ""  # ISO date or ""
    end: str = ""


@dataclass
class Entry:
    file: str
    line: int
    phrase: str
    comment: str
    aliases: list[str] = field(default_factory=list)
    codes: list[str] = field(default_factory=list)


def read_source(text: str, file: str) -> list[Entry]:
    """The entries of one TABARI actor file, in order."""
    entries: list[Entry] = []
    current: Entry | None = None
    for n, raw in enumerate(text.splitlines(), 1):
        body, _, comment = raw.partition("#")
        if not body.strip():
            continue
        groups = re.findall(r"\[([^\]]*)\]", body)
        head = re.sub(r"\[[^\]]*\]", " ", body)
        if body.startswith("+"):
            if current is not None and head.strip("+ \t"):
                current.aliases.append(head.strip("+ \t"))
            if current is not None:
                current.codes += groups
        elif body[0] in " \t[":
            if current is not None:
                current.codes += groups
        else:
            current = Entry(file, n, head.strip(), comment.strip(), codes=groups)
            entries.append(current)
    return entries


def tabari_date(text: str) -> str:
    """YYMMDD or YYYYMMDD -> YYYY-MM-DD (two-digit years 00-19 are 20xx, 20-99 19xx: the source ends in 2019)."""
    if len(text) == 6:
        yy = int(text[:2])
        text = f"{2000 + yy if yy < 20 else 1900 + yy}{text[2:]}"
    if len(text) != 8 or not text.isdigit():
        raise ValueError(text)
    month, day = max(1, min(12, int(text[4:6]))), max(1, min(31, int(text[6:8])))
    return f"{text[:4]}-{month:02d}-{day:02d}"


def map_code(code: str) -> tuple[str | None, str | None] | None:
    """A CAMEO actor code -> (country, sector); None when Lapwing has no country for it.

    Returns (None, sector) for a bare sector ("ELI"), which takes the entry's country.
    """
    code = code.strip().upper()
    if len(code) < 3 or len(code) % 3 or not code.isalpha():
        return None
    chunks = [code[i:i + 3] for i in range(0, len(code), 3)]
    head, rest = chunks[0], chunks[1:]
    sector = next((SECTOR_MAP[c] for c in rest if c in SECTOR_MAP), None)
    if head in SECTOR_MAP and len(chunks) == 1:
        return None, SECTOR_MAP[head]
    if head == "IGO":
        country = "UNO" if rest[:1] == ["UNO"] else "EUR" if rest[:2] == ["EUR", "EEC"] else "IGO"
        return country, sector
    if head in ("NGO", "MNC"):
        return head, sector or ("BUS" if head == "MNC" else None)
    if head == "IMG":
        return "IMG", sector or "REB"
    if head in NOT_STATES:
        return None
    head = COUNTRY_FIXES.get(head, head)
    if not is_known_code(head) or head in ("IGO", "UNO", "EUR", "NGO", "ISM", "IMG", "MNC"):
        return None
    return head, sector


def parse_codes(groups: list[str]) -> list[Span]:
    """The entry's spans: dated ones first in source order, the undated default last."""
    spans: list[Span] = []
    for group in groups:
        parts = group.split()
        if not parts:
            continue
        if parts[0].strip("-") == "":
            spans.append(Span(None, None))
            continue
        mapped = map_code(parts[0])
        if mapped is None:
            continue
        start = end = ""
        when = "".join(parts[1:])
        try:
            if when.startswith(">"):
                start = tabari_date(when[1:])
            elif when.startswith("<"):
                end = tabari_date(when[1:])
            elif "-" in when:
                a, b = when.split("-", 1)
                start, end = tabari_date(a), tabari_date(b)
                if start > end:  # a reversed or mistyped range: keep the end only
                    start = ""
        except ValueError:
            continue
        spans.append(Span(mapped[0], mapped[1], start, end))
    # A bare sector ("[ELI]") takes the country of the entry's other codes (the last one named).
    country = next((s.country for s in reversed(spans) if s.country), None)
    out = []
    for s in spans:
        if s.country is None and s.sector is not None:
            if country is None:
                continue
            s.country = country
        out.append(s)
    return out


_PAREN = re.compile(r"\(([^)]*)\)")


def plain_names(phrase: str) -> list[str]:
    """A TABARI phrase -> display names: "ANIMAL_LIBERATION_FRONT_(ALF)_" -> ["Animal Liberation Front", "ALF"]."""
    words = phrase.replace("_", " ")
    inner = [m.strip() for m in _PAREN.findall(words) if m.strip()]
    outer = " ".join(_PAREN.sub(" ", words).split()).strip(" ,;:")
    return [n for n in [outer, *inner] if n]


def display(name: str) -> str:
    """An all-caps source name in the usual case: "BAN KI-MOON" -> "Ban Ki-Moon"; acronyms stay."""
    if len(name.split()) == 1 and len(name) <= 5:
        return name
    words = [w if w in _UPPER else w.lower() if k and w in _SMALL else "-".join(p.capitalize() for p in w.split("-"))
             for k, w in enumerate(name.split())]
    return " ".join(words).replace("'S ", "'s ")


_UPPER = frozenset({"UN", "U.N.", "US", "U.S.", "EU", "AU", "II", "III", "IV", "NATO"})
_SMALL = frozenset({"OF", "THE", "AND", "FOR", "IN", "ON", "AT", "TO", "DE", "DA", "DO", "DOS", "DAS", "DEL",
                    "LA", "LE", "DU", "VAN", "VON", "DER", "DEN", "E", "Y"})


def is_org(name: str, spans: list[Span], entry: Entry) -> bool:
    """Organization or person? CountryInfo's office holders are people; elsewhere a name of two to
    five words with no organization word ("Front", "Party", "Ministry", ...) is a person's."""
    if any(s.country in ("MNC", "NGO") for s in spans):
        return True
    if "CountryInfo" in entry.comment or "rulers" in entry.comment:
        return False
    words = re.findall(r"[A-Z]+", name.upper())
    return bool(set(words) & ORG_WORDS) or not 2 <= len(words) <= 5


def build(texts: dict[str, str]) -> tuple[list[str], dict[str, int]]:
    """The output rows (without header) and counts of what was kept and dropped."""
    rows: list[str] = []
    stats = {"entries": 0, "kept": 0, "persons": 0, "orgs": 0, "no_code": 0, "bare_state": 0, "keys": 0,
             "dated_spans": 0}
    used_ids: set[str] = set()
    for tag, name in FILES:
        for entry in read_source(texts[name], name):
            stats["entries"] += 1
            spans = parse_codes(entry.codes)
            if not any(s.country for s in spans):
                stats["no_code"] += 1
                continue
            if all(s.sector is None and s.country not in ("IGO", "UNO", "EUR", "NGO", "IMG", "MNC") for s in spans
                   if s.country):
                stats["bare_state"] += 1
                continue
            names = plain_names(entry.phrase)
            if not names:
                continue
            for alias in entry.aliases:
                names += [n for n in plain_names(alias) if n not in names]
            primary = names[0]
            org = is_org(primary, spans, entry)
            keys: list[str] = []
            for n in names:
                key = person_key(n).lower()
                # A one-word person name is a bare surname: ambiguous in world news, left out.
                if key and key not in keys and (org or " " in key):
                    keys.append(key)
            if not keys:
                continue
            base = f"{tag}:{re.sub(r'[^A-Z0-9]+', '_', primary.upper()).strip('_')}"
            kb_id, k = base, 2
            while kb_id in used_ids:
                kb_id, k = f"{base}~{k}", k + 1
            used_ids.add(kb_id)
            span_text = ";".join(f"{s.country or '-'}:{s.sector or ''}:{s.start}:{s.end}" for s in spans)
            stats["dated_spans"] += sum(1 for s in spans if s.start or s.end)
            rows.append("\t".join([kb_id, "org" if org else "person", display(primary), "|".join(keys), span_text]))
            stats["kept"] += 1
            stats["orgs" if org else "persons"] += 1
            stats["keys"] += len(keys)
    return rows, stats


_ACRONYM = re.compile(r"^[A-Z][A-Z0-9\-–]{2,}$")


# One-word names that are ordinary words in many countries' party names: never a party alone.
_GENERIC = frozenset({
    "conservatives", "conservaties", "liberals", "greens", "socialists", "communists", "democrats", "republicans",
    "nationalists", "independents", "progressives", "labour", "labor", "centre", "center", "reform", "renewal",
    "renaissance", "alliance", "union", "forward", "change", "hope", "unity", "future", "freedom", "justice",
    "solidarity", "party", "front", "movement", "citizens", "people", "patriots", "together", "action", "dawn",
})


def build_parties(text: str, stats: dict[str, int], taken: set[str]) -> list[str]:
    """Rows for the parties of Party Facts' core table (see the module's docstring). A name the
    Phoenix dictionaries already give (`taken`) stays theirs: "Hamas" is the armed group."""
    rows: list[str] = []
    for rec in csv.DictReader(io.StringIO(text)):
        if rec.get("technical") or not is_known_code(rec.get("country") or ""):
            continue  # "other", "independent", "alliance" placeholders; historical states Lapwing lacks
        native, english = (rec.get("name") or "").strip(), (rec.get("name_english") or "").strip()
        home = country_name(rec["country"])
        keys: list[str] = []
        for part, own in ((english, False), (native, True)):
            for n in (n.strip() for n in part.split(" / ")):
                # "Fidesz – Magyar Polgári Szövetség" is "Fidesz" too; "Bangladesh Awami League" is "Awami League".
                forms = [n, re.split(r"\s+[–-]{1,2}\s+", n)[0]]
                if home and n.startswith(home + " ") and len(n.split()) > 2:
                    forms.append(n[len(home) + 1:])
                for form in forms:
                    key = person_key(form).lower()
                    one_word = " " not in key
                    if not key or key in keys or key in taken or (
                            one_word and (not own or native.lower() == english.lower() or key in _GENERIC)):
                        continue  # one English word ("Conservatives", "Renaissance") names no party alone
                    keys.append(key)
        short = (rec.get("name_short") or "").strip()
        if _ACRONYM.match(short) and person_key(short).lower() not in keys and person_key(short).lower() not in taken:
            keys.append(person_key(short).lower())
        if not keys:
            continue
        start = f"{int(rec['year_first']):04d}-01-01" if (rec.get("year_first") or "").isdigit() else ""
        end = f"{int(rec['year_last']):04d}-12-31" if (rec.get("year_last") or "").isdigit() else ""
        display_name = english.split(" / ")[0] if english else native
        rows.append("\t".join([f"P:{rec['partyfacts_id']}", "org", display_name, "|".join(keys),
                               f"{rec['country']}:PTY:{start}:{end}"]))
        stats["parties"] += 1
        stats["keys"] += len(keys)
    return rows


def read_texts(source: Path, commit: str | None) -> dict[str, str]:
    """The three source files from a folder, or from a bare git directory at `commit`."""
    texts = {}
    for _, name in FILES:
        if (source / name).is_file():
            texts[name] = (source / name).read_text(encoding="utf-8", errors="replace")
        else:
            blob = subprocess.run(["git", "--git-dir", str(source), "show", f"{commit or 'HEAD'}:{SOURCE_DIR}/{name}"],
                                  capture_output=True, check=True).stdout
            texts[name] = blob.decode("utf-8", errors="replace")
    return texts


HEADER = f"""# Lapwing actor knowledge base, built by scripts/build_actor_kb.py; do not edit by hand.
# Source: the Phoenix CAMEO actor dictionaries of PETRARCH2, {SOURCE_REPO}
#   commit {SOURCE_COMMIT}, files {', '.join(n for _, n in FILES)}
#   (people and dates from CountryInfo.txt, Computational Event Data System Project).
# Licence of the source: MIT. Copyright (c) 2014 Open Event Data Alliance. Permission is hereby granted,
#   free of charge, to any person obtaining a copy of this software and associated documentation files
#   (the "Software"), to deal in the Software without restriction, including without limitation the
#   rights to use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies of the
#   Software, and to permit persons to whom the Software is furnished to do so, subject to the
#   following conditions: The above copyright notice and this permission notice shall be included in
#   all copies or substantial portions of the Software. THE SOFTWARE IS PROVIDED "AS IS", WITHOUT
#   WARRANTY OF ANY KIND, EXPRESS OR IMPLIED. (Full text: src/lapwing/data/actor_kb.LICENSE.txt.)
# Columns: kb_id, kind (person|org), name, keys (normalized names, |-separated),
#   spans (country:sector:start:end, ;-separated; dates ISO or empty; country "-" is CAMEO's null code).
"""


# The MIT licence's terms, as both sources carry them (each with its own copyright line).
MIT_TERMS = """Permission is hereby granted, free of charge, to any person obtaining a copy
of this software and associated documentation files (the "Software"), to deal
in the Software without restriction, including without limitation the rights
to use, copy, modify, merge, publish, distribute, sublicense, and/or sell
copies of the Software, and to permit persons to whom the Software is
furnished to do so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in
all copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN
THE SOFTWARE.
"""


LICENCE = f"""The actor knowledge base actor_kb.tsv.gz beside this file is built by Lapwing's
scripts/build_actor_kb.py from the Phoenix CAMEO actor dictionaries published with PETRARCH2
({SOURCE_REPO}, commit {SOURCE_COMMIT}: {', '.join(n for _, n in FILES)}).
Those dictionaries carry the following licence, which applies to the data derived from them:

The MIT License (MIT)

Copyright (c) 2014 Open Event Data Alliance

{MIT_TERMS}"""


PARTIES_HEADER = f"""# Parties (kb_id P:<Party Facts id>): Party Facts core parties, {PARTIES_REPO}
#   commit {PARTIES_COMMIT}, file {PARTIES_FILE}. Licence of the source: MIT.
#   Copyright (c) 2022 Party Facts authors (full text: src/lapwing/data/actor_kb.LICENSE.txt).
"""

PARTIES_LICENCE = f"""

The political parties in it (kb_id P:...) are built from Party Facts' core parties table
({PARTIES_REPO}, commit {PARTIES_COMMIT}: {PARTIES_FILE};
Döring, Holger and Sven Regel. 2019. "Party Facts: A Database of Political Parties Worldwide."
Party Politics 25(2): 97-109). That repository carries the following licence:

MIT License

Copyright (c) 2022 Party Facts authors

{MIT_TERMS}"""


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("source", type=Path, help="folder with the Phoenix.*.actors.txt files, or a bare git dir")
    parser.add_argument("--commit", default=SOURCE_COMMIT, help="commit to read from a git dir")
    parser.add_argument("--parties", type=Path, help=f"Party Facts' core parties table ({PARTIES_FILE})")
    parser.add_argument("-o", "--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    rows, stats = build(read_texts(args.source, args.commit))
    stats["parties"] = 0
    if args.parties:
        taken = {key for row in rows for key in row.split("\t")[3].split("|")}
        rows += build_parties(args.parties.read_text(encoding="utf-8"), stats, taken)
    buffer = io.BytesIO()
    with gzip.GzipFile(fileobj=buffer, mode="wb", mtime=0, filename="") as gz:
        header = HEADER + (PARTIES_HEADER if args.parties else "")
        gz.write((header + "\n".join(rows) + "\n").encode("utf-8"))
    args.out.write_bytes(buffer.getvalue())
    licence = LICENCE + (PARTIES_LICENCE if args.parties else "")
    args.out.with_name(args.out.name.split(".")[0] + ".LICENSE.txt").write_text(licence, encoding="utf-8")
    took = time.perf_counter() - began
    print(f"{args.out}: {stats['kept'] + stats['parties']} entries ({stats['persons']} people, {stats['orgs']} organizations "
          f"{stats['keys']} names, {stats['dated_spans']} dated codes; {len(buffer.getvalue()) / 1e6:.2f} MB; "
          f"and {stats['parties']} parties; dropped {stats['no_code']} without a usable code and {stats['bare_state']} "
          f"country names; {took:.1f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
