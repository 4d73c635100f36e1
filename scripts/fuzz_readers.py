"""Fuzz the article readers through the real CLI: generated bad inputs, mixed with good ones.

Each batch is a JSON Lines file of bad lines with good records between them, and a folder of bad
files (HTML charsets, binary, non-UTF-8 names, a FIFO) with a few good ones. Every batch goes
through `lapwing extract --format json`, then `lapwing ingest --db` twice (the second run is a
resume). Counted: inputs, tracebacks, hangs (runs over --timeout), partial records (a good
record missing from the output or store, or stored with other text), inputs neither coded nor
reported, and error lines that do not name their input.

    .venv/bin/python scripts/fuzz_readers.py            # about 10,400 inputs, a few minutes
    .venv/bin/python scripts/fuzz_readers.py --batches 1 --lines 200 --files 20 --seed 7
"""

from __future__ import annotations

import argparse
import encodings.aliases
import json
import os
import random
import re
import sqlite3
import subprocess
import sys
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

from lapwing.records import text_id

# The installed command beside this Python (the virtual environment's), else the module.
_COMMAND = Path(sys.executable).with_name("lapwing")
LAPWING = [str(_COMMAND)] if _COMMAND.exists() else [sys.executable, "-m", "lapwing.cli"]
MAX_BYTES = 100_000  # small, so that some generated lines and files are over it
INT_DIGITS = sys.get_int_max_str_digits() or 4300
CODECS = sorted({*encodings.aliases.aliases, *encodings.aliases.aliases.values(), "undefined", "unicode_escape",
                 "raw_unicode_escape", "utf-7", "punycode", "idna", "hex", "rot13", "base64", "zlib", "mbcs"})
FIELDS = ("id", "text", "title", "url", "source", "published", "extra")
GOOD_TEXT = "Police arrested {n} students in Paris on Monday, officials said."


@dataclass
class Batch:
    """The inputs of one batch: what to pass on the command line and what must come out."""

    folder: Path
    args: list[str] = field(default_factory=list)
    inputs: int = 0
    good: dict[str, str] = field(default_factory=dict)  # id -> text of every good record


@dataclass
class Tally:
    inputs: int = 0
    runs: int = 0
    tracebacks: int = 0
    hangs: int = 0
    partial: int = 0
    unaccounted: int = 0
    unnamed: int = 0
    examples: list[str] = field(default_factory=list)

    def problem(self, kind: str, detail: str) -> None:
        setattr(self, kind, getattr(self, kind) + 1)
        if len(self.examples) < 10:
            self.examples.append(f"{kind}: {detail[:300]}")


# -- generated inputs ---------------------------------------------------------------------------------

def bad_line(rng: random.Random, good: bytes) -> bytes:
    """One generated JSONL line (no newline) of a class that has broken a reader."""
    kind = rng.randrange(10)
    field_name = rng.choice(FIELDS)
    if kind == 0:  # nested hundreds to thousands of levels deep, at the top or in a field
        depth = rng.randrange(200, 60_000)
        opener, closer = rng.choice([("[", "]"), ('{"a": ', "}")])
        nested = opener * depth + "1" + closer * depth
        return (nested if rng.random() < 0.3 else json.dumps({"text": "Talks.", field_name: "@"}).replace(
            '"@"', nested)).encode()
    if kind == 1:  # a number over the int-string limit
        number = rng.choice(["", "-"]) + "8" * rng.randrange(INT_DIGITS - 5, INT_DIGITS * 3)
        return json.dumps({"text": "Talks.", field_name: "@"}).replace('"@"', number).encode()
    if kind == 2:  # lone surrogate escapes in a field or a key
        escape = f"\\u{rng.randrange(0xD800, 0xE000):04x}"
        record = json.dumps({"text": "Talks held.", field_name: "a@b"}).replace("@", escape)
        return (record.replace('"text"', f'"te{escape}xt"') if rng.random() < 0.2 else record).encode()
    if kind == 3:  # random bytes
        return bytes(rng.randrange(256) for _ in range(rng.randrange(200))).replace(b"\n", b" ")
    if kind == 4:  # a good record with bytes flipped, inserted or cut
        data = bytearray(good)
        for _ in range(rng.randrange(1, 6)):
            at = rng.randrange(len(data))
            choice = rng.randrange(3)
            if choice == 0:
                data[at] = rng.randrange(256)
            elif choice == 1:
                data.insert(at, rng.choice(b'{}[]"\\:,\xff\x00\r'))
            else:
                del data[at:at + rng.randrange(1, 10)]
        return bytes(data).replace(b"\n", b" ")
    if kind == 5:  # wrong types and values
        value = rng.choice([None, True, 3, 2.5, [], {}, ["a"], {"b": 1}, "", "   ", "yesterday", "2024-13-45",
                            "2024-02-30T25:00", float("nan"), float("inf"), "x" * 500])
        return json.dumps({"text": "Talks.", field_name: value}).encode()
    if kind == 6:  # not an object
        return rng.choice([b"[]", b"1", b'"text"', b"null", b"true", b"[{\"text\": \"a\"}]", b"NaN", b"-Infinity"])
    if kind == 7:  # invalid UTF-8 or controls inside a string
        junk = bytes(rng.randrange(128, 256) for _ in range(rng.randrange(1, 8)))
        return b'{"text": "Talks ' + rng.choice([junk, b"\x00\x01\x1b", b"\\u0000", b"\r"]) + b'"}'
    if kind == 8:  # over --max-bytes
        return json.dumps({"text": "word " * (MAX_BYTES // 5 + rng.randrange(1, 100))}).encode()
    return rng.choice([b"{", b'{"text": "unterminated', b'{"text": "a",}', b"\xef\xbb\xbf\xef\xbb\xbf{}", b"{}{}",
                       b'{"text": "a"} trailing', b"\x1a", b"\\"])


def bad_file(rng: random.Random, folder: Path, n: int) -> tuple[Path, bytes]:
    """A generated bad file: (path, bytes); its name may not be UTF-8."""
    kind = rng.randrange(6)
    if kind == 0:
        charset = rng.choice(CODECS + ["x" * rng.randrange(1, 30), "utf-8", "latin-1"])
        body = bytes(rng.randrange(256) for _ in range(rng.randrange(100))) + rng.choice(
            [b"\\ud800", b"+2AA-", b"caf\xe9", b"\xff\xfe", b""])
        data = (b'<html><head><meta charset="' + charset.encode() + b'"></head><body><p>Police arrested students '
                + body + b" in the capital.</p></body></html>")
        return folder / f"page{n}.html", data
    if kind == 1:
        return folder / f"blob{n}.txt", bytes(rng.randrange(256) for _ in range(rng.randrange(300)))
    if kind == 2:
        name = os.fsdecode(b"name\xff" + bytes(rng.randrange(128, 256) for _ in range(3)) + f"{n}.txt".encode())
        return folder / name, rng.choice([b"", b"\xff\xfe\x00", "Caf\u00e9 talks.".encode("latin-1")])
    if kind == 3:
        return folder / f"table{n}.csv", rng.choice([b"", b"id,body\n1,x\n", b'text\n"unclosed\n', b"text\n\xff\n",
                                                     bytes(rng.randrange(256) for _ in range(100))])
    if kind == 4:
        return folder / f"crawl{n}.warc", bytes(rng.randrange(256) for _ in range(rng.randrange(200)))
    return folder / f"empty{n}.jsonl", rng.choice([b"", b"\n\n", b"\xef\xbb\xbf\n"])


def make_batch(rng: random.Random, root: Path, number: int, lines: int, files: int) -> Batch:
    folder = root / f"batch{number}"
    (folder / "files").mkdir(parents=True)
    batch = Batch(folder)

    def good_record(i: int) -> bytes:
        text = GOOD_TEXT.format(n=f"{number}{i:05d}")
        batch.good[f"b{number}-{i}"] = text
        return json.dumps({"id": f"b{number}-{i}", "text": text}).encode()

    template = json.dumps({"id": "t", "text": "Troops fired on protesters.", "published": "2024-04-28"}).encode()
    body = []
    for i in range(lines):
        # A good record first and every 40 lines: each must come through whatever the lines before it were.
        body.append(good_record(i) if i % 40 == 0 else bad_line(rng, template))
    jsonl = folder / "lines.jsonl"
    jsonl.write_bytes(b"\n".join(body) + b"\n")
    batch.inputs += sum(1 for line in body if line.strip())
    for n in range(files):
        path, data = bad_file(rng, folder / "files", n)
        path.write_bytes(data)
        batch.inputs += 1
    for n in range(3):  # good text files, one with a name that is not UTF-8
        text = GOOD_TEXT.format(n=f"{number}9{n}")
        name = os.fsdecode(b"good\xe9" + f"{n}.txt".encode()) if n == 0 else f"good{n}.txt"
        (folder / "files" / name).write_text(text, encoding="utf-8")
        batch.good[text_id(text)] = text
        batch.inputs += 1
    fifo = folder / "fifo.jsonl"
    os.mkfifo(fifo)  # never written: reading it would wait forever
    batch.inputs += 1
    batch.args = [str(jsonl), str(folder / "files"), str(fifo)]
    return batch


# -- running and checking -----------------------------------------------------------------------------

def run(args: list[str], timeout: float, tally: Tally) -> subprocess.CompletedProcess | None:
    tally.runs += 1
    try:
        done = subprocess.run(LAPWING + args, capture_output=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        tally.problem("hangs", " ".join(args))
        return None
    err = done.stderr.decode("utf-8", "backslashreplace")
    if "Traceback" in err or done.returncode not in (0, 1):
        tally.problem("tracebacks", f"exit {done.returncode}: {err[-2000:]}")
    return done


def error_lines(err: str, batch: Batch, tally: Tally) -> int:
    """The number of error lines; each must name an input of the batch."""
    count = 0
    for line in err.splitlines():
        if line.startswith("lapwing: error: "):
            count += 1
            if str(batch.folder) not in line:
                tally.problem("unnamed", line)
    return count


def check_extract(batch: Batch, timeout: float, tally: Tally, extract_files: list[str]) -> None:
    done = run(["extract", *batch.args, *extract_files, "--format", "json", "--workers", "1",
                "--max-bytes", str(MAX_BYTES)], timeout, tally)
    if done is None:
        return
    err = done.stderr.decode("utf-8", "backslashreplace")
    try:
        docs = json.loads(done.stdout)
    except ValueError:
        docs = []  # a run stopped by a traceback leaves its JSON document unfinished: nothing came out
    docs = docs if isinstance(docs, list) else [docs]
    coded = {doc["article"]["id"] for doc in docs}
    for missing in sorted(set(batch.good) - coded):
        tally.problem("partial", f"extract: good record {missing} is missing")
    unaccounted = batch.inputs - len(docs) - error_lines(err, batch, tally)
    if unaccounted:
        tally.problem("unaccounted", f"extract: {unaccounted} input(s) neither coded nor reported")


def check_ingest(batch: Batch, timeout: float, tally: Tally) -> None:
    db = batch.folder / "events.db"
    for attempt in ("ingest", "resume"):
        # The folder of files is passed as a folder (read recursively), plus the JSONL and the FIFO.
        done = run(["ingest", *batch.args, "--db", str(db), "--workers", "1", "--max-bytes", str(MAX_BYTES)],
                   timeout, tally)
        if done is None:
            return
        err = done.stderr.decode("utf-8", "backslashreplace")
        summary = re.search(rb"([\d,]+) article\(s\) coded \(.*?\), ([\d,]+) already stored, ([\d,]+) error",
                            done.stdout)
        if summary is None:
            tally.problem("partial", f"{attempt}: no summary line: {done.stdout[-300:]!r}")
            continue
        coded, skipped, errors = (int(g.replace(b",", b"")) for g in summary.groups())
        reported = error_lines(err, batch, tally)
        if coded + skipped + errors != batch.inputs or reported != errors:
            tally.problem("unaccounted", f"{attempt}: {batch.inputs} inputs, {coded} coded, {skipped} already "
                          f"stored, {errors} errors ({reported} printed)")
        with sqlite3.connect(db) as store:
            stored = dict(store.execute("SELECT id, text FROM articles"))
            if store.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
                tally.problem("partial", f"{attempt}: {db} fails its integrity check")
        for article_id, text in batch.good.items():
            if stored.get(article_id) != text:
                tally.problem("partial", f"{attempt}: good record {article_id} is "
                              f"{'missing' if article_id not in stored else 'stored with other text'}")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--lines", type=int, default=2000, help="JSONL lines per batch")
    parser.add_argument("--files", type=int, default=80, help="bad files per batch")
    parser.add_argument("--seed", type=int, default=12)
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a run counts as a hang")
    args = parser.parse_args(argv)
    rng = random.Random(args.seed)
    tally = Tally()
    with tempfile.TemporaryDirectory(prefix="lapwing-fuzz-") as root:
        for number in range(args.batches):
            batch = make_batch(rng, Path(root), number, args.lines, args.files)
            tally.inputs += batch.inputs
            # extract does not walk folders recursively or read WARC: name the files one by one.
            files = sorted(str(p) for p in (batch.folder / "files").iterdir())
            batch.args.remove(str(batch.folder / "files"))
            check_extract(batch, args.timeout, tally, files)
            batch.args.append(str(batch.folder / "files"))
            check_ingest(batch, args.timeout, tally)
            print(f"batch {number + 1}/{args.batches}: {batch.inputs:,} inputs", file=sys.stderr, flush=True)
    print(f"inputs: {tally.inputs:,} in {tally.runs} CLI runs (extract, ingest --db, resumed ingest); "
          f"seed {args.seed}")
    print(f"tracebacks: {tally.tracebacks}")
    print(f"hangs: {tally.hangs} (timeout {args.timeout:g} s per run)")
    print(f"partial records: {tally.partial} (good records missing or changed in output or store)")
    print(f"inputs neither coded nor reported: {tally.unaccounted}")
    print(f"error lines not naming their input: {tally.unnamed}")
    for example in tally.examples:
        print(f"  {example}")
    return 1 if tally.tracebacks or tally.hangs or tally.partial or tally.unaccounted or tally.unnamed else 0


if __name__ == "__main__":
    raise SystemExit(main())
