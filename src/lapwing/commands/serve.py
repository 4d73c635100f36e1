"""`lapwing serve`: the HTTP API over a store, on 127.0.0.1 unless told otherwise."""

from __future__ import annotations

import argparse
import os
import sys
from typing import TextIO


LOOPBACK = ("127.0.0.1", "localhost", "::1")
LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1", "[::1]")


def add_parser(subparsers, engine_options) -> None:
    """Register `lapwing serve`."""
    p = subparsers.add_parser(
        "serve", help="serve the HTTP API over a store",
        description="Serve the HTTP API (see docs/http-api.md). Writes (POST /articles) need LAPWING_API_KEY set.",
    )
    p.add_argument("--db", required=True, metavar="FILE", help="the event store to serve")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1: this machine only)")
    p.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    p.add_argument("--max-body", type=int, default=1_000_000, metavar="BYTES",
                   help="largest request body accepted (default 1 MB)")
    p.add_argument("--max-extract", type=int, default=50_000, metavar="BYTES",
                   help="longest text POST /extract codes, for anyone (default 50,000 bytes)")
    engine_options(p)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Build the app and run it with uvicorn until interrupted."""
    try:
        import uvicorn

        from ..api_http import create_app
    except ModuleNotFoundError as exc:
        print(f"lapwing: error: `lapwing serve` needs {exc.name}: pip install 'lapwing[serve]'", file=sys.stderr)
        return 2
    from ..cli import engine_options_from

    busy = _port_problem(args.host, args.port)
    if busy:
        print(f"lapwing: error: {busy}", file=sys.stderr)
        return 2
    key = os.environ.get("LAPWING_API_KEY") or None
    _stories_hint(args.db)
    # Bound to this machine only, answer only to this machine's names (no DNS rebinding).
    hosts = LOOPBACK_NAMES if args.host in LOOPBACK else None
    app = create_app(args.db, api_key=key, max_body_bytes=args.max_body, max_extract_bytes=args.max_extract,
                     options=engine_options_from(args), allowed_hosts=hosts)
    if not key:
        print("lapwing: writes are disabled (set LAPWING_API_KEY to allow POST /articles)", file=sys.stderr)
    if args.host not in LOOPBACK:
        print(f"lapwing: listening on {args.host}: reachable from other machines", file=sys.stderr)
    uvicorn.run(app, host=args.host, port=args.port, log_level="info")
    return 0


def _port_problem(host: str, port: int) -> str | None:
    """Why `host:port` cannot be listened on (in use, not allowed), with what to do; None when it can."""
    import errno
    import socket

    if not 0 < port < 65536:
        return f"--port {port} is not a port: give a number from 1 to 65535, e.g. --port 8000"
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except socket.gaierror as exc:
        return f"cannot listen on {host}: {exc.strerror}; give an address of this machine with --host"
    family, kind, proto, _, address = infos[0]
    with socket.socket(family, kind, proto) as probe:
        if os.name != "nt":
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn binds
        try:
            probe.bind(address)
        except OSError as exc:
            if exc.errno == errno.EADDRINUSE:
                return (f"port {port} on {host} is already in use (another `lapwing serve`?): "
                        f"stop it, or choose another port, e.g. --port {port + 1 if port < 65535 else 8000}")
            if exc.errno == errno.EACCES:
                return f"port {port} on {host} needs more privileges: choose a port above 1023, e.g. --port 8000"
            return f"cannot listen on {host}:{port} ({exc.strerror}): choose another --host or --port"
    return None


def _stories_hint(db: str) -> None:
    """Say when events ingested since the last `lapwing stories` have no story yet.

    Clustering a large store for the first time can take many minutes, so serving does not wait
    for it; new articles posted to the API join their stories at once.
    """
    from ..errors import StoreError
    from ..store import Store

    try:
        with Store.open(db, readonly=True) as store:  # a hint never writes
            pending = store.db.execute(
                "SELECT COUNT(*) FROM events e WHERE NOT EXISTS (SELECT 1 FROM story_events s WHERE s.event_id = e.id)"
            ).fetchone()[0]
    except StoreError:
        return  # create_app reports a missing or unreadable store with its own message
    if pending:
        print(f"lapwing: {pending:,} event(s) are in no story yet: run `lapwing stories --db {db}` "
              "to cluster them (the explorer's stories show only clustered events)", file=sys.stderr)
