"""The `lapwing` command: a thin layer over the library (extract, eval)."""

from __future__ import annotations

import argparse
import re
import sys
from collections.abc import Sequence
from typing import TextIO

from . import __version__
from .errors import InputError, LapwingError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    """argparse, but a usage error is one line that says where to look (no usage block)."""

    def error(self, message: str):  # type: ignore[override]
        command = re.match(r"argument COMMAND: invalid choice: '(.*?)'", message)
        if command:
            import difflib

            close = difflib.get_close_matches(command.group(1), ["extract", "eval", *COMMANDS], n=1)
            message = f"unknown command {command.group(1)!r}" + (f" (did you mean {close[0]}?)" if close else "")
        option = re.match(r"argument ([^\s:/]+)(?:/\S+)?: ", message)
        if option and message[option.end():].startswith(option.group(1) + " "):
            message = message[option.end():]  # "--workers -1 is negative", not "argument --workers: --workers ..."
        self.exit(EXIT_USAGE, f"lapwing: error: {one_line(message)}; see `{self.prog} --help`\n")


def one_line(message: str) -> str:
    """A message on one line: the line breaks of a wrapped library message become spaces."""
    return re.sub(r"\s*\n\s*", " ", str(message).strip())


# --format: every command that prints a report takes `--format text|json` (and jsonl when it lists
# records); `text` is what a person reads. Older spellings stay accepted: `table` for text, and
# `--json` where a command had it.
REPORT_FORMATS = ("text", "json", "jsonl")
FORMAT_ALIASES = {"table": "text"}


def add_format_option(p: argparse.ArgumentParser, *, text: str, json: str = "one JSON document",
                      jsonl: str | None = None, json_alias: str | None = None) -> None:
    """`--format text|json[|jsonl]` (text by default) on a command that prints a report.

    Each argument says what that format prints; jsonl is offered when given. `--json` is kept, as
    the older spelling of `--format <json_alias>`, on the commands that had it.
    """
    shapes = {"text": text, "json": json, "jsonl": jsonl}
    formats = tuple(f for f in REPORT_FORMATS if shapes[f])
    p.add_argument("--format", default="text", metavar="FORMAT",
                   help="; ".join(f"{f}{' (default)' if f == 'text' else ''}: {shapes[f]}" for f in formats))
    if json_alias:
        p.add_argument("--json", dest="format", action="store_const", const=json_alias,
                       help=f"the older spelling of --format {json_alias}")
    p.set_defaults(report_formats=formats)


def check_format(args: argparse.Namespace) -> None:
    """Normalize args.format (table -> text) and refuse an unknown one with InputError."""
    formats = getattr(args, "report_formats", None)
    if not formats:
        return
    value = FORMAT_ALIASES.get(str(args.format).lower(), str(args.format).lower())
    if value not in formats:
        raise InputError(f"unknown --format {args.format!r}; use one of: {', '.join(formats)}")
    args.format = value


def add_workers_option(p: argparse.ArgumentParser) -> None:
    """--workers, the same everywhere: N processes, 0 (the default) = one per core."""
    p.add_argument("--workers", type=_workers, default=0, metavar="N",
                   help="processes to code with: 0 = one per core (default), 1 = in this process; "
                   "never more than there are articles")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="lapwing",
        description="Turn news articles into explainable PLOVER event data.",
    )
    parser.add_argument("--version", action="version", version=f"lapwing {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ex = sub.add_parser("extract", help="code articles into events", description="Code articles into PLOVER events.")
    ex.add_argument(
        "inputs", nargs="+", metavar="INPUT",
        help="text, HTML, JSONL, CSV or Parquet files, folders (of text, HTML, JSONL), or - for standard input",
    )
    ex.add_argument("--published", metavar="DATE", help="publication date (YYYY-MM-DD) for inputs that carry none")
    add_format_option(ex, text="a table per article (`table` is accepted too)",
                      json="one JSON document (an object for one article, else a list)", jsonl="one event per line")
    ex.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    _engine_options(ex)
    add_workers_option(ex)
    ex.add_argument("--max-bytes", type=int, default=5_000_000, metavar="N", help="largest article accepted (default 5 MB)")
    ex.add_argument("--text-field", default="text", metavar="NAME", help="JSONL field holding the text (default: text)")
    ex.add_argument("--text-column", default="text", metavar="NAME",
                    help="CSV or Parquet column holding the text (default: text)")

    ev = sub.add_parser("eval", help="score the engine on gold data", description="Score the engine on gold-standard events.")
    ev.add_argument("gold", help="PLOVER GSR JSON, Lapwing gold JSONL or article gold (see docs/gold-format.md)")
    ev.add_argument(
        "--articles", metavar="FILE",
        help="JSON Lines file of the texts (id, text) that article gold quotes; required for article gold",
    )
    ev.add_argument("--errors", type=int, default=0, metavar="N", help="also print the first N misses (errors)")
    add_format_option(ev, text="the report", json="the report as one JSON object", json_alias="json")
    add_workers_option(ev)
    _engine_options(ev)
    for module in _command_modules():
        module.add_parser(sub, engine_options=_engine_options)
    parser.commands = sub.choices  # name -> its parser, for errors about its arguments
    return parser


# Commands beyond extract/eval live in lapwing/commands/<name>.py, each with
# `add_parser(subparsers, engine_options)` and `run(args, out) -> int`; listed here in help order.
COMMANDS = ("ingest", "recode", "errors", "events", "stories", "talks", "stats", "export", "load", "serve", "upgrade")


def _command_modules():
    import importlib

    modules = []
    for name in COMMANDS:
        try:
            modules.append(importlib.import_module(f"lapwing.commands.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"lapwing.commands.{name}":
                raise  # a command whose own imports fail must say so, not vanish
    return modules


def _engine_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--model", metavar="NAME", help="spaCy pipeline to use (default: en_core_web_sm)")
    p.add_argument(
        "--actors", action="append", default=[], metavar="FILE",
        help="an extra actor dictionary (YAML, see docs/actors.md); may be repeated",
    )
    p.add_argument("--no-prefilter", action="store_true", help="parse every sentence, not only those with a trigger word")
    p.add_argument(
        "--min-confidence", type=_probability, metavar="P",
        help="keep records whose confidence is at least P (0-1; default: the judge's tuned threshold)",
    )


def _workers(value: str) -> int:
    """--workers: a whole number of processes, 0 for all cores; argparse prints the one-line error."""
    try:
        n = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(f"--workers {value!r} is not a whole number: give a number of processes, "
                                         "or 0 for all cores") from None
    if n < 0:
        raise argparse.ArgumentTypeError(f"--workers {n} is negative: give a number of processes, or 0 for all cores")
    return n


def _probability(value: str) -> float:
    try:
        p = float(value)
    except ValueError:
        p = -1.0
    if not 0.0 <= p <= 1.0:
        raise argparse.ArgumentTypeError(f"--min-confidence {value!r} is not a number from 0 to 1 (e.g. 0.5)")
    return p


def engine_options_from(args: argparse.Namespace):
    """EngineOptions from the shared engine flags (--model, --actors, --no-prefilter, --min-confidence)."""
    return _options(args)


def _options(args: argparse.Namespace):
    from .api import EngineOptions

    return EngineOptions(
        model=args.model, prefilter=not args.no_prefilter, actor_dictionaries=tuple(args.actors),
        min_confidence=getattr(args, "min_confidence", None),
    )


def _check_actor_files(paths: Sequence[str]) -> None:
    """--actors files are read before anything is coded (or the model loaded): a wrong path fails at once."""
    from pathlib import Path

    for path in paths:
        if not Path(path).is_file():
            raise InputError(f"--actors {path}: no such file: check the path of the actor dictionary (YAML, "
                             "see docs/actors.md)")


def _say(message: str) -> None:
    print(f"lapwing: {one_line(message)}", file=sys.stderr)


def _extract_inputs(args: argparse.Namespace, published):
    """Articles (or InputErrors) from extract's inputs: CSV and Parquet files as tables, as ingest reads them."""
    from pathlib import Path

    from .io.collections import CSV_SUFFIXES, PARQUET_SUFFIXES, ReadOptions, read_csv, read_parquet
    from .io.readers import guarded, read_articles

    tables = ReadOptions(published=published, max_bytes=args.max_bytes, text_field=args.text_field,
                         text_column=args.text_column)
    for source in args.inputs:
        path = Path(source)
        name = source.lower()
        if source != "-" and path.is_file() and name.endswith(CSV_SUFFIXES):
            yield from guarded(read_csv(path, source, tables), source)
        elif source != "-" and path.is_file() and name.endswith(PARQUET_SUFFIXES):
            yield from guarded(read_parquet(path, source, tables), source)
        else:
            yield from read_articles([source], published=published, max_bytes=args.max_bytes,
                                     text_field=args.text_field)


def _extract_total(inputs: Sequence[str]) -> int | None:
    """How many articles extract will read, when cheap to know (files only), for the progress bar."""
    from pathlib import Path

    from .io.collections import count_articles

    if any(i == "-" or Path(i).is_dir() for i in inputs):
        return None
    return count_articles(inputs)


def cmd_extract(args: argparse.Namespace, out: TextIO) -> int:
    from .api import extract_many
    from .io.readers import parse_published
    from .io.writers import JsonDocument, write

    if args.max_bytes <= 0:
        _say(f"error: --max-bytes {args.max_bytes} is not positive: give the largest article size in bytes")
        return EXIT_USAGE
    published = parse_published(args.published, "--published") if args.published else None
    progress, tally = _extract_progress(args.inputs)

    def articles():
        for item in _extract_inputs(args, published):
            if isinstance(item, InputError):
                tally.errors += 1
                progress.error(f"lapwing: error: {item}")
                progress.update(tally)
                continue
            yield item

    document = JsonDocument(out) if args.format == "json" else None
    try:
        for doc in extract_many(articles(), workers=args.workers, options=_options(args)):
            if document is not None:
                document.add(doc)
            else:
                write(doc, "table" if args.format == "text" else args.format, out)
            tally.coded += 1
            tally.events += len(doc.events)
            progress.update(tally)
    finally:
        progress.close(tally)
    if document is not None:
        document.close()
    if tally.errors:
        _say(f"{tally.errors} input(s) failed, {tally.coded} article(s) coded")
        return EXIT_SOME_FAILED
    return EXIT_OK


def _extract_progress(inputs: Sequence[str]):
    """A progress bar on stderr when it is a terminal (as `ingest` shows), else errors only."""
    from .store.ingest import BarProgress, Tally

    tally = Tally(total=None)
    if sys.stderr.isatty():
        tally.total = _extract_total(inputs)
        return BarProgress(sys.stderr, tally.total, "extract"), tally
    return _ErrorsOnly(), tally


class _ErrorsOnly:
    """Off a terminal, extract prints only its errors, one line each, as they happen."""

    def update(self, tally) -> None:
        """Nothing."""

    def error(self, message: str) -> None:
        print(message, file=sys.stderr)

    def close(self, tally) -> None:
        """Nothing."""


def cmd_eval(args: argparse.Namespace, out: TextIO) -> int:
    from .eval import run_eval

    text, _ = run_eval(
        args.gold, articles=args.articles, errors=args.errors, as_json=args.format == "json", workers=args.workers,
        options=_options(args),
    )
    out.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `lapwing` command; returns the exit code (2 for a usage error, as argparse)."""
    parser = _parser()
    try:
        args, extra = parser.parse_known_args(argv)
        if extra:
            parser.commands[args.command].error(f"unrecognized arguments: {' '.join(extra)}")
    except SystemExit as stop:  # --help, --version, or a usage error already printed on one line
        return stop.code if isinstance(stop.code, int) else EXIT_USAGE
    out: TextIO = sys.stdout
    try:
        check_format(args)
        _check_actor_files(getattr(args, "actors", None) or ())
        if getattr(args, "output", None):
            try:
                out = open(args.output, "w", encoding="utf-8")
            except OSError as exc:
                _say(f"error: cannot write {args.output} ({exc.strerror}): give -o a file in an existing, "
                     "writable folder")
                return EXIT_USAGE
        if args.command == "extract":
            return cmd_extract(args, out)
        if args.command == "eval":
            return cmd_eval(args, out)
        module = next(m for m in _command_modules() if m.__name__.rsplit(".", 1)[1] == args.command)
        return module.run(args, out)
    except InputError as exc:
        _say(f"error: {exc}")
        return EXIT_USAGE
    except LapwingError as exc:
        _say(f"error: {exc}")
        return EXIT_USAGE
    except KeyboardInterrupt:
        _say("interrupted")
        return 130
    except BrokenPipeError:
        return EXIT_OK
    except OSError as exc:
        if not exc.filename:
            raise
        _say(f"error: {exc.filename}: {exc.strerror or exc}; check the path and its permissions")
        return EXIT_USAGE
    finally:
        if out is not sys.stdout:
            out.close()


if __name__ == "__main__":
    raise SystemExit(main())
