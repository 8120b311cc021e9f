"""The seed's progress bar on the terminal (hand-written: no dependency) and its phase timings.

``Progress(stream)`` draws one line, redrawn in place, when the stream is a terminal:
``[##########..........]  52%  closing meetings 312/880  41 s``. Elsewhere (tests, logs) it
draws nothing. Every phase's time is kept either way (``timings``), printed by ``seed_demo``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from typing import TypeVar

T = TypeVar("T")
WIDTH = 28
# Each phase's share of the bar (roughly its share of the time at scale 10 on PostgreSQL).
WEIGHTS = {
    "accounts": 1,
    "groups": 1,
    "meetings": 1,
    "incidents": 30,
    "designations": 10,
    "rights": 1,
    "tasks": 8,
    "contacts": 8,
    "benchmarks": 1,
    "reviews": 6,
    "coordination": 3,
    "performance": 1,
    "statistics": 2,
    "closing meetings": 25,
    "archived closes": 3,
    "follow-up choices": 2,
}


class Progress:
    def __init__(self, stream=None):
        self.stream = stream
        self.live = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self.started = time.monotonic()
        self.done_weight = 0.0
        self.timings: dict[str, float] = {}
        self._last_draw = 0.0

    def phase(self, name: str, items: Iterable[T] | None = None, total: int | None = None):
        """``with progress.phase("tasks"):`` or ``for x in progress.phase("closing", xs):``."""
        return _Phase(self, name, items, total)

    def draw(self, name: str, fraction: float, detail: str = "", *, force: bool = False) -> None:
        if not self.live:
            return
        now = time.monotonic()
        if not force and now - self._last_draw < 0.2:
            return
        self._last_draw = now
        total = sum(WEIGHTS.values())
        share = (self.done_weight + WEIGHTS.get(name, 1) * min(fraction, 1.0)) / total
        filled = int(WIDTH * min(share, 1.0))
        bar = "#" * filled + "." * (WIDTH - filled)
        line = f"\r[{bar}] {share:4.0%}  {name} {detail}".ljust(70)
        self.stream.write(f"{line} {now - self.started:4.0f} s")
        self.stream.flush()

    def close(self) -> None:
        if self.live:
            self.stream.write("\r" + " " * 90 + "\r")
            self.stream.flush()

    def summary(self) -> str:
        return ", ".join(f"{name} {seconds:.1f} s" for name, seconds in self.timings.items())


class _Phase:
    def __init__(self, progress: Progress, name: str, items, total):
        self.progress, self.name, self.items = progress, name, items
        self.total = total if total is not None else (len(items) if items is not None else 0)
        self.count = 0

    def __enter__(self):
        self.started = time.monotonic()
        self.progress.draw(self.name, 0.0, force=True)
        return self

    def __exit__(self, *exc) -> None:
        progress = self.progress
        progress.timings[self.name] = progress.timings.get(self.name, 0.0) + (
            time.monotonic() - self.started
        )
        progress.done_weight += WEIGHTS.get(self.name, 1)
        progress.draw(self.name, 0.0, "done", force=True)

    def advance(self, n: int = 1, detail: str = "") -> None:
        self.count += n
        fraction = self.count / self.total if self.total else 0.0
        self.progress.draw(self.name, fraction, detail or f"{self.count}/{self.total}")

    def __iter__(self) -> Iterator:
        with self:
            for item in self.items:
                yield item
                self.advance()
