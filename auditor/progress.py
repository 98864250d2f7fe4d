"""A quiet progress reporter: silent for work that ends within a second, then a live line on stderr."""

from __future__ import annotations

import shutil
import sys
import time
from typing import TextIO


class Progress:
    """Report steps of long work on stderr, only once it has lasted more than ``delay_s`` seconds.

    Parameters
    ----------
    enabled
        False turns every call into a no-op (``--quiet``).
    delay_s
        Seconds of silence before anything is shown [s].
    stream
        Where to write; standard error by default.
    """

    def __init__(self, enabled: bool = True, delay_s: float = 1.0, stream: TextIO | None = None) -> None:
        self.enabled = enabled
        self.delay_s = delay_s
        self.stream = stream or sys.stderr
        self.start = time.perf_counter()
        self._shown = False
        self._tty = bool(getattr(self.stream, "isatty", lambda: False)())

    def step(self, text: str, done: int | None = None, total: int | None = None) -> None:
        """Report a step; ``done``/``total`` draw a bar with the counts.

        On a terminal the line is redrawn in place; elsewhere (a pipe, a log file) each step is
        one line, so a log keeps the counts of every phase.
        """
        if not self.enabled or time.perf_counter() - self.start < self.delay_s:
            return
        line = text
        if done is not None and total:
            width = 30
            filled = int(width * done / total)
            line = f"[{'#' * filled}{'.' * (width - filled)}] {done:,}/{total:,} {text}"
        elapsed = time.perf_counter() - self.start
        line = f"{line} ({elapsed:.1f} s)"
        if self._tty:  # one live line, cut to the terminal's width so that it never wraps
            width = shutil.get_terminal_size((100, 20)).columns - 1
            self.stream.write("\r\033[K" + (line if len(line) <= width else line[: width - 1] + "…"))
        else:
            self.stream.write(line + "\n")
        self.stream.flush()
        self._shown = True

    def close(self) -> None:
        """End the live line, if one was drawn."""
        if self._shown and self._tty:
            self.stream.write("\n")
            self.stream.flush()
