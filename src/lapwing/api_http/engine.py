"""The engine behind the API: one article at a time, keyed writes before open extractions.

Coding is the only costly work an anonymous client can ask for, so it is bounded three ways:
POST /extract codes at most `max_bytes` of text; at most `slots` extract requests are admitted at
once (the rest get 503 with Retry-After at once instead of queueing); and a keyed write waiting for
the engine goes before every waiting extraction, so it waits for at most the one being coded.
Engine work runs on its own threads, never on the pool that serves reads.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from starlette.exceptions import HTTPException

from ..doc import Doc
from ..records import Article

T = TypeVar("T")
Coder = Callable[[Article], Doc]

RETRY_AFTER_S = 5


class Engine:
    """Runs `code` for extractions (bounded, refused when busy) and for keyed writes (first in line)."""

    def __init__(self, code: Coder, *, slots: int, max_bytes: int) -> None:
        self._code = code
        self.slots = slots
        self.max_bytes = max_bytes
        self._admitted = threading.BoundedSemaphore(slots)
        self._turn = threading.Condition()
        self._busy = False
        self._writers_waiting = 0
        self.waiting = 0  # callers waiting for their turn
        # Threads of its own: reads filling the server's pool cannot hold back a write, and
        # extractions are already bounded by their slots.
        self._threads = ThreadPoolExecutor(max_workers=slots + 4, thread_name_prefix="lapwing-engine")

    async def extract(self, article: Article) -> Doc:
        """Code one article for an open request: 413 when too long, 503 when every slot is taken."""
        size = len(article.text.encode("utf-8"))
        if size > self.max_bytes:
            raise HTTPException(413, f"the text is {size:,} bytes; POST /extract codes at most {self.max_bytes:,} "
                                     "bytes per request: send a shorter text, or split it")
        if not self._admitted.acquire(blocking=False):
            raise HTTPException(503, f"the engine is busy ({self.slots} extraction(s) running or waiting): "
                                     f"retry after {RETRY_AFTER_S} s", headers={"Retry-After": str(RETRY_AFTER_S)})
        # The slot is freed when the coding ends (or is cancelled before it starts), not when the
        # request does: a client that hangs up cannot pile work up behind the engine.
        job = self._threads.submit(self._run, article, first=False)
        job.add_done_callback(lambda _: self._admitted.release())
        return await asyncio.wrap_future(job)

    async def write(self, work: Callable[[Callable[[Article], Doc]], T]) -> T:
        """Run `work(code)` for a keyed write; its `code` calls go before waiting extractions."""
        return await asyncio.wrap_future(self._threads.submit(work, lambda article: self._run(article, first=True)))

    def _run(self, article: Article, *, first: bool) -> Doc:
        with self._turn:
            writer = 1 if first else 0
            self._writers_waiting += writer
            self.waiting += 1
            try:
                while self._busy or (not first and self._writers_waiting):
                    self._turn.wait()
            finally:
                self._writers_waiting -= writer
                self.waiting -= 1
            self._busy = True
        try:
            return self._code(article)
        finally:
            with self._turn:
                self._busy = False
                self._turn.notify_all()
