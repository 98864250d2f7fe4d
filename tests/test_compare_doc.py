"""docs/compare.md's hand calculation matches what ``auditor compare`` prints."""

from __future__ import annotations

import json
import re

import pytest

from tests.conftest import EXAMPLES, ROOT, TODAY


def hand_checks() -> list[tuple[str, str, float]]:
    text = (ROOT / "docs" / "compare.md").read_text(encoding="utf-8")
    block = text.split("<!-- hand-check:", 1)[1].split("```text", 1)[1].split("```", 1)[0]
    lines = [line.strip() for line in block.strip().splitlines()]
    checks = []
    for line in lines:
        match = re.fullmatch(r"(\S+) (\w+) = ([\d.]+)", line)
        assert match, line
        checks.append((match[1], match[2], float(match[3])))
    return checks


def test_doc_hand_calculation_matches_the_tool(capsys):
    from auditor.cli import main

    checks = hand_checks()
    assert len(checks) >= 8
    code = main(["compare", str(EXAMPLES / "compare" / "school-laptop.yaml"), "--format", "json",
                 "--date", TODAY.isoformat()])
    assert code == 0
    options = {o["id"]: o for o in json.loads(capsys.readouterr().out)["options"]}
    for option, key, value in checks:
        assert options[option][key] == pytest.approx(value, abs=5e-4, rel=5e-5), (option, key)
