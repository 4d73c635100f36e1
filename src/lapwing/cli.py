"""The `lapwing` command: a thin layer over the library (extract, eval)."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from typing import TextIO

from . import __version__
from .errors import InputError, LapwingError

EXIT_OK, EXIT_SOME_FAILED, EXIT_USAGE = 0, 1, 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="lapwing",
        description="Turn news articles into explainable PLOVER event data.",
    )
    parser.add_argument("--version", action="version", version=f"lapwing {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    ex = sub.add_parser("extract", help="code articles into events", description="Code articles into PLOVER events.")
    ex.add_argument("inputs", nargs="+", metavar="INPUT", help="text, HTML or JSONL files, folders, or - for standard input")
    ex.add_argument("--published", metavar="DATE", help="publication date (YYYY-MM-DD) for inputs that carry none")
    ex.add_argument("--format", default="table", help="table (default), json or jsonl")
    ex.add_argument("-o", "--output", metavar="FILE", help="write here instead of standard output")
    _engine_options(ex)
    ex.add_argument("--workers", type=int, default=1, metavar="N", help="processes to use; 0 = all cores (default 1)")
    ex.add_argument("--max-bytes", type=int, default=5_000_000, metavar="N", help="largest article accepted (default 5 MB)")
    ex.add_argument("--text-field", default="text", metavar="NAME", help="JSONL field holding the text (default: text)")

    ev = sub.add_parser("eval", help="score the engine on gold data", description="Score the engine on gold-standard events.")
    ev.add_argument("gold", help="PLOVER GSR JSON, Lapwing gold JSONL or article gold (see docs/gold-format.md)")
    ev.add_argument(
        "--articles", metavar="FILE",
        help="JSON Lines file of the texts (id, text) that article gold quotes; required for article gold",
    )
    ev.add_argument("--errors", type=int, default=0, metavar="N", help="also print the first N misses (errors)")
    ev.add_argument("--json", action="store_true", help="print the report as JSON")
    ev.add_argument("--workers", type=int, default=1, metavar="N", help="processes to use; 0 = all cores")
    _engine_options(ev)
    for module in _command_modules():
        module.add_parser(sub, engine_options=_engine_options)
    return parser


# Commands beyond extract/eval live in lapwing/commands/<name>.py, each with
# `add_parser(subparsers, engine_options)` and `run(args, out) -> int`; listed here in help order.
COMMANDS = ("ingest", "recode", "errors", "events", "stories", "stats", "export", "load", "serve")


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


def _probability(value: str) -> float:
    try:
        p = float(value)
    except ValueError:
        p = -1.0
    if not 0.0 <= p <= 1.0:
        raise argparse.ArgumentTypeError(f"{value!r} is not a number from 0 to 1 (e.g. 0.5)")
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


def _say(message: str) -> None:
    print(f"lapwing: {message}", file=sys.stderr)


def cmd_extract(args: argparse.Namespace, out: TextIO) -> int:
    from .api import extract_many
    from .io.readers import parse_published, read_articles
    from .io.writers import FORMATS, write

    if args.format not in FORMATS:
        _say(f"error: unknown --format {args.format!r}; use one of: {', '.join(FORMATS)}")
        return EXIT_USAGE
    published = parse_published(args.published, "--published") if args.published else None
    failures = 0

    def articles():
        nonlocal failures
        for item in read_articles(args.inputs, published=published, max_bytes=args.max_bytes, text_field=args.text_field):
            if isinstance(item, InputError):
                failures += 1
                _say(f"error: {item}")
                continue
            yield item

    count = 0
    for doc in extract_many(articles(), workers=args.workers, options=_options(args)):
        write(doc, args.format, out)
        count += 1
    if failures:
        _say(f"{failures} input(s) failed, {count} article(s) coded")
        return EXIT_SOME_FAILED
    return EXIT_OK


def cmd_eval(args: argparse.Namespace, out: TextIO) -> int:
    from .eval import run_eval

    text, _ = run_eval(
        args.gold, articles=args.articles, errors=args.errors, as_json=args.json, workers=args.workers,
        options=_options(args),
    )
    out.write(text if text.endswith("\n") else text + "\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `lapwing` command; returns the exit code."""
    args = _parser().parse_args(argv)
    out: TextIO = sys.stdout
    try:
        if getattr(args, "output", None):
            try:
                out = open(args.output, "w", encoding="utf-8")
            except OSError as exc:
                _say(f"error: cannot write {args.output}: {exc.strerror}")
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
    finally:
        if out is not sys.stdout:
            out.close()


if __name__ == "__main__":
    raise SystemExit(main())
