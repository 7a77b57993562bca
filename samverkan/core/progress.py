"""Progress of long commands on a terminal: one line on standard error, redrawn as the work
goes on (``stort.csv  42% [########...........] 84 000 rader lästa``), when the output is a
terminal; nothing when it is not (cron, a pipe) or with ``--json``. The same
``(fraction, message)`` callback is what background jobs report to the job page."""
from __future__ import annotations

import shutil
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager


@contextmanager
def terminal_progress(*, enabled: bool = True, label: str = "",
                      stream=None) -> Iterator[Callable[[float, str], None]]:
    stream = stream or sys.stderr
    if not enabled or not getattr(stream, "isatty", lambda: False)():
        yield lambda fraction, message="": None
        return
    # A terminal that reports no size (a pseudo-terminal without a window) gets 80 columns.
    columns = shutil.get_terminal_size(fallback=(80, 24)).columns or 80
    state = {"percent": -1, "shown": 0.0, "width": 0}

    def report(fraction: float, message: str = "") -> None:
        percent = int(max(0.0, min(1.0, fraction)) * 100)
        now = time.monotonic()
        if percent == state["percent"] and now - state["shown"] < 0.5:
            return
        bar = "#" * (percent // 5) + "." * (20 - percent // 5)
        line = f"{label} {percent:3d}% [{bar}] {message}"[:columns - 1]
        stream.write("\r" + line.ljust(state["width"]))
        stream.flush()
        state.update(percent=percent, shown=now, width=len(line))

    try:
        report(0.0)
        yield report
    finally:
        stream.write("\r" + " " * state["width"] + "\r")
        stream.flush()
