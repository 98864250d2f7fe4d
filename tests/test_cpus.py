"""CPU name keys match vendor, OS and Microsoft-list spellings."""

from __future__ import annotations

import pytest

from factors.cpus import cpu_key


@pytest.mark.parametrize(
    ("names", "key"),
    [
        (["Intel(R) Xeon(R) Gold 6134 CPU @ 3.20GHz", "Intel Xeon Gold 6134 3.20 GHz", "Xeon(R) Gold 6134",
          "INTEL XEON GOLD 6134"], "xeon gold 6134"),
        (["Intel(R) Core(TM) i5-10500 CPU @ 3.10GHz", "Core(TM) i5-10500", "Intel Core i5-10500"], "core i5-10500"),
        (["AMD EPYC 7302 16-Core Processor", "AMD EPYC 7302", "EPYC 7302"], "epyc 7302"),
        (["AMD Ryzen 5 PRO 4650G with Radeon Graphics", "Ryzen 5 PRO 4650G"], "ryzen 5 pro 4650g"),
        (["Apple M1 Pro", "M1 Pro"], "m1 pro"),
        (["Intel Xeon X3360 Processor", "Intel(R) Xeon(R) CPU X3360 @ 2.83GHz"], "xeon x3360"),
    ],
)
def test_spellings_share_one_key(names, key):
    assert {cpu_key(n) for n in names} == {key}


def test_different_models_differ():
    assert cpu_key("Core(TM) i5-10500") != cpu_key("Core(TM) i5-10500T")
