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
    cpu_sku_key,
    cpu_skus,
    server_product_key,
    server_products,
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


@pytest.mark.parametrize(("name", "key"), [
    ("Intel(R) Xeon(R) Silver 4210 CPU @ 2.20GHz", "xeonsilver4210"),  # marks, "CPU", clock dropped
    ("Intel Xeon Silver 4210", "xeonsilver4210"),                       # the same model
    ("Intel Xeon Platinum 8280 @ 2.70GHz (Intel Turbo Boost Technology up to 4.00 GHz)", "xeonplatinum8280"),
    ("AMD EPYC 7601 2.20 GHz, Dell SKU [338-BNCG]", "epyc7601"),         # OEM packaging words dropped
    ("Intel Xeon E5-2699 v4", "xeone52699v4"),                          # the version is part of the model
    ("Intel Xeon Processor 3.4 GHz", ""),                               # no model number
    ("", ""), (None, ""),
])
def test_cpu_sku_key_names_one_model_however_written(name, key):
    assert cpu_sku_key(name) == key


@pytest.mark.parametrize(("maker", "model", "key"), [
    ("Dell Inc.", "PowerEdge R640", "dell-r640"),
    ("Hewlett Packard Enterprise", "ProLiant DL360 Gen10", "hp-dl360"),       # generation suffix dropped
    ("Hewlett-Packard Company", "ProLiant DL360 G7 (2.26 GHz, Intel Xeon L5640 processor)", "hp-dl360"),
    ("Lenovo Global Technology", "ThinkSystem SR650 V2", "lenovo-sr650"),
    ("Lenovo", "Think System SR645", "lenovo-sr645"),                          # range in two words
    ("FUJITSU", "FUJITSU Server PRIMERGY RX1330 M4", "fujitsu-rx1330"),       # maker repeated in the model
    ("IBM Corporation", "IBM System x3630 M4", "ibm-x3630"),
    ("Sugon", "Sugon I620-G30(Intel Xeon Platinum 8180 @2.50GHz)", "sugon-i620"),  # unclosed bracket
    ("Dell Inc.", "PowerEdge", ""),                                            # range without product number
    ("", "PowerEdge R640", ""), (None, "R640", ""), ("Dell", None, ""),        # maker or model unknown
])
def test_server_product_key_is_maker_and_product_number(maker, model, key):
    assert server_product_key(maker, model) == key


def test_vectorised_sku_and_product_keys_match_the_scalar_ones():
    cpus = np.array(["Xeon Silver 4210", None, "Intel(R) Xeon(R) Silver 4210 CPU @ 2.20GHz"], dtype=object)
    assert list(cpu_skus(cpus)) == ["xeonsilver4210", "", "xeonsilver4210"]
    makers = np.array(["Dell", "Dell", None, "HPE", "Dell"], dtype=object)
    models = np.array(["R640", "R740", "R640", "DL380 Gen10", np.nan], dtype=object)
    assert list(server_products(makers, models)) == ["dell-r640", "dell-r740", "", "hp-dl380", ""]
