"""CPU model names: one matching key whatever the vendor's spelling.

``"Intel(R) Xeon(R) Gold 6134 CPU @ 3.20GHz"``, ``"Intel Xeon Gold 6134 3.20 GHz"`` and
``"Xeon(R) Gold 6134"`` (Microsoft's supported-processor list) all give ``"xeon gold 6134"``.
Used by the CPU table (power model) and the Windows 11 eligibility check, so both match alike.
"""

from __future__ import annotations

import re
from functools import lru_cache

_NOISE = re.compile(
    r"\((?:r|tm|c)\)|®|™|\bcpu\b|\bprocessors?\b|\bapu\b|\bmobile\b|"
    r"@\s*[\d.]+\s*[gm]hz|\b[\d.]+\s*[gm]hz\b|\b\d+-core\b|\b(?:dual|quad|six|eight)-core\b|"
    r"\bwith radeon(?: \w+)* graphics\b|\bwith radeon\b|\bgraphics\b|\b\d+(?:st|nd|rd|th) gen\b",
    re.I,
)
_VENDOR = re.compile(r"^(?:genuineintel|authenticamd|intel|amd|apple|qualcomm)\s+", re.I)


@lru_cache(maxsize=16384)
def cpu_key(name: str) -> str:
    """Matching key of a CPU model name: lower case, no vendor, marks, frequency or core count.

    Parameters
    ----------
    name
        CPU model as written by a vendor, an OS or an inventory.

    Returns
    -------
    str
        Key such as ``"xeon gold 6134"``, ``"core i5-10500"``, ``"epyc 7302"``, ``"m1 pro"``;
        empty when nothing is left.
    """
    text = str(name).replace("\u00a0", " ")
    text = _NOISE.sub(" ", text)
    text = re.sub(r"[,;/]+", " ", text)
    text = re.sub(r"\s+", " ", text).strip().lower()
    previous = None
    while previous != text:
        previous = text
        text = _VENDOR.sub("", text)
    return text.strip(" -")
