"""The progress bar: counts on every long phase of an assessment, quiet for short work."""

from __future__ import annotations

import io
import re

from auditor.api import assess_inventories
from auditor.enrich import SPEC_PARAMETERS
from auditor.progress import Progress
from factors.tables import CRITERIA
from tests.conftest import EXAMPLES, TODAY

TOWN = EXAMPLES / "ville-exemple" / "inventaire-glpi.csv"
BAR = re.compile(r"^\[([#.]{30})\] (\d+)/(\d+) (.+) \(\d+\.\d s\)$")


class Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_every_assessment_phase_reports_counts_on_a_pipe(library):
    stream = io.StringIO()  # not a tty: one line per step
    progress = Progress(delay_s=0.0, stream=stream)
    done = assess_inventories([TOWN], country="FR", today=TODAY, library=library, progress=progress)
    progress.close()
    n = len(done.results)
    bars = [BAR.match(line) for line in stream.getvalue().splitlines()]
    counted = [(int(m[2]), int(m[3]), m[4]) for m in bars if m]
    phases = {text.split(":")[0].split(" (")[0] for _, _, text in counted}
    assert {"loading and checking the factor tables", "filling specs from archetypes", "use phase", "embodied model", "embodied and use phase",
            "scores"} <= phases
    specs = [d for d, t, text in counted if text.startswith("filling specs")]
    assert specs == list(range(len(SPEC_PARAMETERS) + 1))  # 0/15 ... 15/15, one per spec
    steps = [(d, t) for d, t, text in counted if t == 4 + len(CRITERIA)]
    assert [d for d, _ in steps] == list(range(4 + len(CRITERIA) + 1))  # 0/8 ... 8/8
    assert all(f"({n:,} rows)" in text for _, _, text in counted if not text.startswith("loading"))
    for match in filter(None, bars):  # the bar is as full as the count says
        assert match[1].count("#") == 30 * int(match[2]) // int(match[3])


def test_a_tty_gets_one_live_line_ended_on_close():
    stream = Tty()
    progress = Progress(delay_s=0.0, stream=stream)
    for i in range(3):
        progress.step("writing results.csv", i, 2)
    progress.close()
    text = stream.getvalue()
    assert text.count("\r\033[K") == 3 and text.endswith("\n") and text.count("\n") == 1
    assert "[###############...............] 1/2 writing results.csv" in text


def test_short_work_and_quiet_show_nothing():
    for progress in (Progress(delay_s=3600.0, stream=io.StringIO()),
                     Progress(enabled=False, delay_s=0.0, stream=io.StringIO())):
        progress.step("reading", 1, 2)
        progress.close()
        assert progress.stream.getvalue() == ""


def test_a_long_line_is_cut_to_the_terminal_width(monkeypatch):
    import os

    monkeypatch.setattr("shutil.get_terminal_size", lambda fallback=None: os.terminal_size((40, 20)))
    stream = Tty()
    progress = Progress(delay_s=0.0, stream=stream)
    progress.step("x" * 200, 1, 4)
    drawn = stream.getvalue().removeprefix("\r\033[K")
    assert len(drawn) == 39 and drawn.endswith("…") and drawn.startswith("[#######")
