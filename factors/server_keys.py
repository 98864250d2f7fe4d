"""Keys of the server power model's shared effects: server vendor and product line, CPU generation
and CPU model (SKU).

All are read from text an inventory holds (``manufacturer``, ``model``, ``cpu_model``); an empty key
means unknown, and the model then adds no effect (the bounds widen instead).

The CPU generation is the microarchitecture that the vendors' public model numbering encodes:

* Intel Xeon Scalable (``Bronze|Silver|Gold|Platinum NNNN``): the second digit is the
  generation (1 Skylake-SP, 2 Cascade Lake, 3 Ice Lake-SP, or Cooper Lake for the ``H``/``HL``
  parts, 4 Sapphire Rapids, 5 Emerald Rapids);
* Intel Xeon ``E3/E5/E7-NNNN vK``: the version suffix (none Sandy Bridge, v2 Ivy Bridge, v3
  Haswell, v4 Broadwell, v5 Skylake, v6 Kaby Lake; E7 without suffix Westmere-EX);
* Intel Xeon ``E-2NNN``: the second digit (1 and 2 Coffee Lake, 3 Rocket Lake, 4 Raptor Lake);
* Intel Xeon before 2010 (``X5570``, ``L5420``, ``3070``...): the series (3400, 3500, 3600, 5500,
  5600, 6500, 7500 Nehalem/Westmere; 3000-3300, 5100-5400, 7300, 7400 Core);
* Intel Core ``iN-NNNN``: the first digit of the four-digit number (2 Sandy Bridge ... 9
  Coffee Lake), three digits Nehalem/Westmere;
* AMD EPYC ``NNNN``: the last digit (1 Naples, 2 Rome, 3 Milan, 4 Genoa, 5 Turin); Opteron is one
  key.

References
----------
Intel, "Intel Xeon processor numbers" and the product specifications (ark.intel.com);
AMD, "AMD EPYC processor model numbering" (amd.com, product pages of the 7001/7002/7003/9004/9005
series). Facts (the numbering rules) only; no text copied.
"""

from __future__ import annotations

import re

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from factors.cpu_table import lookup_key, table_key

_SCALABLE = re.compile(r"(?:bronze|silver|gold|platinum)(\d)(\d)\d\d([a-z]*)")
_E_SERIES = re.compile(r"e([357])\d{4}[a-uw-z]?(?:v(\d))?")
_E2000 = re.compile(r"xeone2(\d)\d\d")
_EPYC = re.compile(r"epyc\d{3}(\d)")
_CORE_I = re.compile(r"corei\d(\d{3,5})")
_OLD_XEON = re.compile(r"(?:^|xeon|processor)[xlew]?([3-7])(\d)\d\d(?:[a-z]{0,2})$")

_SCALABLE_GEN = {"1": "skylake", "2": "cascadelake", "3": "icelake", "4": "sapphirerapids", "5": "emeraldrapids"}
_E_VERSION = {None: "sandybridge", "2": "ivybridge", "3": "haswell", "4": "broadwell", "5": "skylake",
              "6": "kabylake"}
_E2000_GEN = {"1": "coffeelake", "2": "coffeelake", "3": "rocketlake", "4": "raptorlake"}
_EPYC_GEN = {"1": "epyc-naples", "2": "epyc-rome", "3": "epyc-milan", "4": "epyc-genoa", "5": "epyc-turin"}
_CORE_GEN = {"2": "sandybridge", "3": "ivybridge", "4": "haswell", "5": "broadwell", "6": "skylake",
             "7": "kabylake", "8": "coffeelake", "9": "coffeelake"}
_NEHALEM_SERIES = {"34", "35", "36", "55", "56", "65", "75"}
_CORE_SERIES = {"30", "31", "32", "33", "51", "52", "53", "54", "73", "74"}


def cpu_generation(name: object) -> str:
    """CPU microarchitecture read from a model name, ``""`` when the name does not say.

    Parameters
    ----------
    name
        CPU model as an inventory writes it (``"Intel(R) Xeon(R) Silver 4210 CPU @ 2.20GHz"``).

    Returns
    -------
    str
        Generation key such as ``"cascadelake"``, ``"sandybridge"``, ``"epyc-rome"``,
        ``"opteron"``; empty when unknown.

    Examples
    --------
    >>> cpu_generation("Intel Xeon Silver 4210"), cpu_generation("Intel Xeon E5-2699 v4")
    ('cascadelake', 'broadwell')
    >>> cpu_generation("AMD EPYC 7742 2.25 GHz"), cpu_generation("Intel Xeon L5420")
    ('epyc-rome', 'core')
    """
    key = lookup_key(name)
    if not key:
        return ""
    if "opteron" in key:
        return "opteron"
    m = _EPYC.search(key)
    if m:
        return _EPYC_GEN.get(m.group(1), "")
    m = _SCALABLE.search(key)
    if m:
        if m.group(2) == "3" and m.group(3).startswith("h"):
            return "cooperlake"
        return _SCALABLE_GEN.get(m.group(2), "")
    m = _E2000.search(key)
    if m:
        return _E2000_GEN.get(m.group(1), "")
    m = _E_SERIES.search(key)
    if m and ("xeon" in key or key.startswith("e")):
        if m.group(1) == "7" and m.group(2) is None:
            return "nehalem"
        return _E_VERSION.get(m.group(2), "")
    m = _CORE_I.search(key)
    if m:
        digits = m.group(1)
        return "nehalem" if len(digits) == 3 else _CORE_GEN.get(digits[0], "")
    m = _OLD_XEON.search(key)
    if m:
        series = m.group(1) + m.group(2)
        if series in _NEHALEM_SERIES:
            return "nehalem"
        if series in _CORE_SERIES:
            return "core"
    return ""


_VENDOR_ALIASES = {"hewlett": "hp", "hpe": "hp", "super": "supermicro", "giga": "gigabyte", "new": "h3c",
                   "plat": "plathome", "asustek": "asus"}
_VENDOR_WORDS = re.compile(r"[^a-z0-9 ]")


def server_vendor_key(name: object) -> str:
    """Server maker key: the first word of the name, lower case, with a few aliases.

    ``"Hewlett Packard Enterprise"``, ``"Hewlett-Packard Company"`` and ``"HPE"`` give ``"hp"``;
    ``"Super Micro Computer, Inc."`` and ``"Supermicro"`` give ``"supermicro"``;
    ``"Fujitsu Siemens Computers"`` gives ``"fujitsu"``. Empty when unknown.
    """
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    words = _VENDOR_WORDS.sub(" ", str(name).lower().replace("-", " ")).split()
    if not words:
        return ""
    return _VENDOR_ALIASES.get(words[0], words[0])


def _per_row(names, parse) -> np.ndarray:
    values = pd.Series(np.asarray(names, dtype=object), dtype=object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    parsed = np.array([parse(u) for u in uniques] + [""], dtype=object)
    return parsed[codes]


def cpu_generations(names: ArrayLike) -> np.ndarray:
    """:func:`cpu_generation` of every row, each distinct name parsed once."""
    return _per_row(names, cpu_generation)


def server_vendor_keys(names: ArrayLike) -> np.ndarray:
    """:func:`server_vendor_key` of every row, each distinct name parsed once."""
    return _per_row(names, server_vendor_key)


def cpu_sku_key(name: object) -> str:
    """CPU model (SKU) key: the CPU table's matching key, ``""`` when the name names no model.

    ``"Intel(R) Xeon(R) Silver 4210 CPU @ 2.20GHz"`` and ``"Xeon Silver 4210"`` give
    ``"xeonsilver4210"``; a name without a model number (``"Intel Xeon"``) gives ``""``.
    """
    key = table_key(name)
    return key if re.search(r"\d", key) else ""


#: Words of a server model name that name a brand or a range rather than a product.
_RANGE_WORDS = frozenset({
    "server", "servers", "system", "systems", "think", "thinksystem", "primergy", "proliant",
    "poweredge", "uniserver", "express", "rackmount", "rack", "tower", "blade", "node", "the", "x",
    "intel", "xeon", "amd", "epyc", "inc", "computer", "corporation", "hp", "hpe", "dell", "lenovo",
    "ibm", "fujitsu", "supermicro", "huawei", "inspur", "h3c", "acer", "cisco", "sugon", "nec",
})
_PRODUCT_TOKEN = re.compile(r"[a-z0-9]+")


def server_product_key(manufacturer: object, model: object) -> str:
    """Server product line key: the maker's key and the first word of the model name that mixes
    letters and digits (the product number), without its generation suffix.

    ``("Dell Inc.", "PowerEdge R640")`` gives ``"dell-r640"``; ``("HPE", "ProLiant DL360 Gen10")``
    gives ``"hp-dl360"``; ``("Lenovo", "ThinkSystem SR650 V2")`` gives ``"lenovo-sr650"``. Text in
    brackets (SPEC often adds the CPU there) is ignored. Empty when the maker or the product number
    is unknown.
    """
    vendor = server_vendor_key(manufacturer)
    if not vendor or model is None or (isinstance(model, float) and np.isnan(model)):
        return ""
    text = re.sub(r"\(.*?\)|\(.*$", " ", str(model).lower())
    for word in _PRODUCT_TOKEN.findall(text):
        if word not in _RANGE_WORDS and word != vendor and re.search(r"[a-z]", word) and re.search(r"\d", word):
            return f"{vendor}-{word}"
    return ""


def cpu_skus(names: ArrayLike) -> np.ndarray:
    """:func:`cpu_sku_key` of every row, each distinct name parsed once."""
    return _per_row(names, cpu_sku_key)


def server_products(manufacturers: ArrayLike, models: ArrayLike) -> np.ndarray:
    """:func:`server_product_key` of every row, each distinct (maker, model) pair parsed once."""
    makers = np.asarray(manufacturers, dtype=object)
    names = np.asarray(models, dtype=object)
    pairs = pd.MultiIndex.from_arrays([pd.Series(makers, dtype=object).fillna(""),
                                       pd.Series(names, dtype=object).fillna("")])
    codes, uniques = pd.factorize(pairs)
    parsed = np.array([server_product_key(m or None, n or None) for m, n in uniques] + [""], dtype=object)
    return parsed[codes]
