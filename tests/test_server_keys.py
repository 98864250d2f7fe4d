"""Keys of the server power model's shared effects, read from text an inventory holds.

Expected generations follow the vendors' public model numbering (Intel Xeon processor numbers and
ARK product pages; AMD EPYC model numbering): the cases are written from those rules by hand.
"""

from __future__ import annotations

import numpy as np
import pytest

from factors.server_keys import (
    cpu_generation,
    cpu_generations,
    server_vendor_key,
    server_vendor_keys,
)


@pytest.mark.parametrize(("name", "generation"), [
    ("Intel(R) Xeon(R) Gold 6134 CPU @ 3.20GHz", "skylake"),        # Scalable, 2nd digit 1
    ("Intel Xeon Silver 4210", "cascadelake"),                      # 2nd digit 2
    ("Intel Xeon Platinum 8380 2.30 GHz", "icelake"),               # 2nd digit 3
    ("Intel Xeon Platinum 8380HL", "cooperlake"),                   # 3rd gen, H/HL parts
    ("Intel Xeon Gold 6430", "sapphirerapids"),                     # 2nd digit 4
    ("Intel Xeon E5-2660", "sandybridge"),                          # E5 without version
    ("Intel Xeon E3-1240V2", "ivybridge"),
    ("Intel Xeon E3-1265Lv3", "haswell"),                           # L part, v3
    ("Intel Xeon E5-2699 v4 2.20 GHz", "broadwell"),
    ("Intel E3-1260L v5", "skylake"),
    ("Intel Xeon E3-1230 v6", "kabylake"),
    ("Intel Xeon E7-4870", "nehalem"),                              # Westmere-EX
    ("Intel Xeon E-2176G", "coffeelake"),
    ("Intel Xeon E-2388G", "rocketlake"),
    ("Intel Xeon X5670", "nehalem"),                                # 5600 series (Westmere-EP)
    ("Intel Xeon L5420", "core"),                                   # 5400 series (Harpertown)
    ("Intel X3350", "core"),                                        # 3300 series (Yorkfield)
    ("Intel Core i5-4570", "haswell"),
    ("AMD EPYC 7601 2.20 GHz, Dell SKU [338-BNCG]", "epyc-naples"),  # last digit 1
    ("AMD EPYC 7742", "epyc-rome"),
    ("AMD EPYC 7773X", "epyc-milan"),
    ("AMD EPYC 9654", "epyc-genoa"),
    ("Six-Core AMD Opteron(r) Processor 8425 HE", "opteron"),
    ("Intel Xeon Processor 3.4 GHz", ""),                           # no model number
    ("", ""),
    (None, ""),
])
def test_cpu_generation_follows_the_vendor_numbering(name, generation):
    assert cpu_generation(name) == generation


@pytest.mark.parametrize(("name", "key"), [
    ("Hewlett Packard Enterprise", "hp"), ("Hewlett-Packard Company", "hp"), ("HPE", "hp"),
    ("Super Micro Computer, Inc.", "supermicro"), ("Supermicro", "supermicro"),
    ("Fujitsu Siemens Computers", "fujitsu"), ("Dell Inc.", "dell"), ("ASUSTeK Computer Inc.", "asus"),
    ("New H3C Technologies Co., Ltd.", "h3c"), ("", ""), (None, ""), (float("nan"), ""),
])
def test_server_vendor_key(name, key):
    assert server_vendor_key(name) == key


def test_vectorised_keys_match_the_scalar_ones():
    names = np.array(["Intel Xeon Silver 4210", None, "AMD EPYC 7742", "Intel Xeon Silver 4210"], dtype=object)
    assert list(cpu_generations(names)) == ["cascadelake", "", "epyc-rome", "cascadelake"]
    assert list(server_vendor_keys(np.array(["HPE", np.nan, "Dell Inc."], dtype=object))) == ["hp", "", "dell"]
