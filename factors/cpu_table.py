"""The bundled CPU table: model name -> TDP, cores, threads, launch year, die area.

Data: ``factors/data/cpus.csv`` (sources and licences in ``factors/data/cpus.md``), built by
``python -m factors.fit.build_cpus``. Names are matched through :func:`factors.cpus.cpu_key`
then reduced to a compact key (letters and digits only), so vendor spellings meet:
``"Intel(R) Xeon(R) Gold 6134 CPU @ 3.20GHz"``, ``"Intel Xeon Gold 6134 3.20 GHz"`` and
``"Xeon Gold 6134 (Intel Turbo Boost Technology up to 3.70 GHz)"`` all give ``"xeongold6134"``.

Lookups are vectorised: each distinct name is resolved once (``pandas.factorize``), then the
per-row arrays are gathered with integer indexing.
"""

from __future__ import annotations

import re
from functools import lru_cache
from importlib.resources import files
from pathlib import Path

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike

from factors.cpus import cpu_key

CPU_FILE = Path(str(files("factors").joinpath("data"))) / "cpus.csv"

#: Numeric columns of the table, in the order :func:`lookup_cpus` returns them.
CPU_FIELDS: tuple[str, ...] = ("tdp_w", "cores", "threads", "launch_year", "die_mm2")

#: Words that name a processor family; a name may omit them ("X3350" for "Xeon X3350").
_FAMILY_WORDS = ("xeon", "opteron", "core", "epyc", "ryzen", "celeron", "pentium", "atom", "athlon")
#: Trailing words of OEM part names that do not change the CPU ("EPYC 7601, Dell SKU").
_PACKAGING_WORDS = frozenset({"dell", "hp", "hpe", "lenovo", "fujitsu", "sku", "oem", "tray", "box", "boxed"})
_BRACKETS = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")


def lookup_key(name: object) -> str:
    """Compact matching key of a CPU name: :func:`cpu_key`, brackets dropped, only ``[a-z0-9]``.

    Parameters
    ----------
    name
        CPU model as written by a vendor, an OS, SPEC or an inventory.

    Returns
    -------
    str
        Key such as ``"xeongold6134"`` or ``"epyc7302"``; empty when nothing is left.
    """
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return ""
    text = str(name)
    # registered/trademark marks first (cpu_key drops them), then any other bracketed text
    text = re.sub(r"\((?:r|tm|c)\)", " ", text, flags=re.I)
    text = _BRACKETS.sub(" ", text)
    return re.sub(r"[^a-z0-9]", "", cpu_key(text))


def _candidate_keys(name: object) -> list[str]:
    """Keys to try in order: the full key, then without trailing OEM packaging words."""
    if name is None or (isinstance(name, float) and np.isnan(name)):
        return []
    text = _BRACKETS.sub(" ", re.sub(r"\((?:r|tm|c)\)", " ", str(name), flags=re.I))
    words = cpu_key(text).split()
    keys = [re.sub(r"[^a-z0-9]", "", "".join(words))]
    while len(words) > 1 and words[-1] in _PACKAGING_WORDS:
        words = words[:-1]
        keys.append(re.sub(r"[^a-z0-9]", "", "".join(words)))
    return [k for k in keys if k]


def table_key(name: object) -> str:
    """Key under which the CPU table stores a model: :func:`lookup_key` without trailing OEM
    packaging words (``"AMD EPYC 7601 2.20 GHz, Dell SKU"`` -> ``"epyc7601"``)."""
    keys = _candidate_keys(name)
    return keys[-1] if keys else ""


def _short_key(key: str) -> str:
    """A key without its leading family word (``"xeonx3350"`` -> ``"x3350"``)."""
    for word in _FAMILY_WORDS:
        if key.startswith(word) and len(key) > len(word) + 2:
            return key[len(word):]
    return ""


@lru_cache(maxsize=4)
def cpu_table(path: str | None = None) -> pd.DataFrame:
    """The CPU table, one row per compact key.

    Columns: ``key, name, vendor`` and the numeric :data:`CPU_FIELDS` (NaN where unknown),
    ``source`` (ids of the sources that gave a figure, see ``cpus.md``).
    """
    frame = pd.read_csv(path or CPU_FILE, dtype={"key": str, "name": str, "vendor": str,
                                                  "source": str}, keep_default_na=False,
                        na_values={f: [""] for f in CPU_FIELDS}, encoding="utf-8")
    for field in CPU_FIELDS:
        frame[field] = pd.to_numeric(frame[field], errors="coerce").astype(float)
    return frame


@lru_cache(maxsize=4)
def _index(path: str | None = None) -> tuple[dict[str, int], dict[str, int]]:
    table = cpu_table(path)
    full = {k: i for i, k in enumerate(table["key"])}
    short: dict[str, int] = {}
    clash: set[str] = set()
    for i, key in enumerate(table["key"]):
        s = _short_key(key)
        if not s or s in full:
            continue
        if s in short:
            clash.add(s)
        short[s] = i
    for s in clash:
        del short[s]
    return full, short


def match_cpu(name: object, path: str | None = None) -> int:
    """Row of the CPU table matching ``name``, or -1.

    Tries the full compact key, then the key without trailing OEM packaging words
    (``"EPYC 7601 Dell SKU"``), each also without a family word (``"X3350"``) where that is
    unambiguous in the table.
    """
    full, short = _index(path)
    for key in _candidate_keys(name):
        if key in full:
            return full[key]
        if key in short:
            return short[key]
        for word in _FAMILY_WORDS:  # the inventory gave the family, the table entry did not
            if key.startswith(word) and key[len(word):] in full:
                return full[key[len(word):]]
    return -1


def lookup_cpus(names: ArrayLike, path: str | None = None) -> dict[str, np.ndarray]:
    """Specs of every row's CPU, resolving each distinct name once.

    Parameters
    ----------
    names
        CPU model names (None/NaN/empty where unknown).

    Returns
    -------
    dict of numpy.ndarray
        ``tdp_w`` [W], ``cores`` [-], ``threads`` [-] (per CPU), ``launch_year`` [year],
        ``die_mm2`` [mm2], NaN where unknown; ``matched`` (bool); ``amd`` (1 AMD, 0 Intel,
        NaN unknown).
    """
    values = pd.Series(np.asarray(names, dtype=object)).astype(object)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    table = cpu_table(path)
    rows = np.array([match_cpu(u, path) for u in uniques], dtype=np.int64)
    rows = np.append(rows, -1)  # the NA sentinel (-1) lands on the appended "no match"
    row_of = rows[codes]
    out: dict[str, np.ndarray] = {}
    for field in CPU_FIELDS:
        column = np.append(table[field].to_numpy(dtype=float), np.nan)
        out[field] = column[row_of]
    out["matched"] = row_of >= 0
    vendor = np.array([_amd_flag(u, table["vendor"].iloc[r] if r >= 0 else "") for u, r in
                       zip(uniques, rows[:-1], strict=True)] + [np.nan], dtype=float)
    out["amd"] = vendor[codes]
    return out


def _amd_flag(name: object, vendor: str) -> float:
    """1 for an AMD CPU, 0 for an Intel one (from the table's vendor, else the name), else NaN."""
    if vendor in ("amd", "intel"):
        return 1.0 if vendor == "amd" else 0.0
    text = str(name).lower()
    if re.search(r"\bamd\b|epyc|opteron|ryzen|athlon|phenom|turion", text):
        return 1.0
    if re.search(r"intel|xeon|\bcore\b|pentium|celeron|\batom\b", text):
        return 0.0
    return np.nan
