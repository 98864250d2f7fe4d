"""The licence gate: which licences a shipped factor row may carry, and how a file combines them.

Every factor row has a ``licence`` cell holding one or more licence ids joined by ``" + "``
(for instance ``ODbL-1.0 + fact``); a descriptive text may follow after ``" -- "``. A row is
shippable inside the AGPL package when every id is in :data:`ALLOWED` (``user-supplied`` is
accepted only in a user's factor pack), when its source names no database whose terms forbid
redistribution (:data:`RESTRICTED_SOURCES`), and, for ``permission``, when the row's notes quote
the written permission. A file may hold at most one share-alike family (:data:`SHARE_ALIKE`):
sources under different share-alike licences live in separate files combined at run time.

References
----------
Creative Commons, "ShareAlike compatibility: GPLv3" (2015): CC BY-SA 4.0 material may be
adapted under GPLv3, so the two families may share a file.
Directive 96/9/EC on the legal protection of databases, art. 7: the sui generis right protects
substantial extractions; an isolated figure cited with its source is a fact, not an extract.
"""

from __future__ import annotations

import re

#: Licence ids a packaged factor row may carry, with what each means.
ALLOWED: dict[str, str] = {
    "public-domain": "public domain (e.g. a US government work)",
    "CC0-1.0": "Creative Commons Zero 1.0",
    "CC-BY-4.0": "Creative Commons Attribution 4.0",
    "CC-BY-SA-4.0": "Creative Commons Attribution-ShareAlike 4.0",
    "ODbL-1.0": "Open Database License 1.0",
    "DbCL-1.0": "Database Contents License 1.0",
    "MIT": "MIT licence",
    "Apache-2.0": "Apache License 2.0",
    "BSD-3-Clause": "BSD 3-clause licence",
    "etalab-2.0": "Licence Ouverte / Open Licence 2.0 (Etalab)",
    "EU-reuse": "EU reuse policy, Commission Decision 2011/833/EU (reuse authorised with "
                "acknowledgement): a written general permission",
    "GPL-3.0": "GNU GPL 3.0 (same family as the package's AGPL-3.0)",
    "LGPL-3.0": "GNU LGPL 3.0 (same family as the package's AGPL-3.0)",
    "AGPL-3.0": "GNU AGPL 3.0 (the package's own licence)",
    "permission": "a written permission, quoted in the row's notes",
    "fact": "an isolated figure cited with its source from a public document (a fact: no text, "
            "table or database extract copied); never from a database whose terms forbid reuse",
}

#: Accepted only in a user's factor pack: the user vouches for the right to use the rows.
PACK_ONLY: dict[str, str] = {
    "user-supplied": "supplied by the user of a factor pack, who holds the right to use it",
}

#: Share-alike families: a file may hold licences of one family only (permissive ones mix freely).
SHARE_ALIKE: dict[str, str] = {
    "CC-BY-SA-4.0": "cc-by-sa+gpl",
    "GPL-3.0": "cc-by-sa+gpl",
    "LGPL-3.0": "cc-by-sa+gpl",
    "AGPL-3.0": "cc-by-sa+gpl",
    "ODbL-1.0": "odbl",
}

#: Sources whose terms of use forbid download and redistribution without a licence: a row citing
#: them is refused in the packaged tables (a user holding the licence puts them in a pack).
RESTRICTED_SOURCES: tuple[str, ...] = ("Base IMPACTS", "Base Empreinte", "NegaOctet", "ecoinvent")

SEPARATOR = " + "
NOTE_SEPARATOR = " -- "


def licence_ids(cell: str) -> list[str]:
    """The licence ids of a ``licence`` cell (the part before ``" -- "``), in order."""
    head = str(cell).split(NOTE_SEPARATOR, 1)[0]
    return [part.strip() for part in head.split(SEPARATOR.strip()) if part.strip()]


def licence_problem(cell: str, source: str, notes: str, *, pack: bool = False) -> str | None:
    """Why a row may not be loaded, or None when its licence passes the gate.

    Parameters
    ----------
    cell
        The row's ``licence`` cell.
    source, notes
        The row's ``source`` and ``notes`` cells.
    pack
        True for a user's factor pack: ``user-supplied`` and restricted sources are accepted
        (the user holds the licence), every other id must still be known.
    """
    ids = licence_ids(cell)
    if not ids:
        return "empty; every factor row needs a licence id (see factors/data/LICENSES.md)"
    allowed = {**ALLOWED, **PACK_ONLY} if pack else ALLOWED
    unknown = [i for i in ids if i not in allowed]
    if unknown:
        return (f"{unknown[0]!r} is not an allowed licence id; expected one of "
                f"{', '.join(allowed)}")
    if "permission" in ids and not re.search(r"permission[^\"]*\"[^\"]{10,}\"", notes, re.I):
        return "'permission' needs the written permission quoted in the notes (permission: \"...\")"
    if not pack:
        for name in RESTRICTED_SOURCES:
            if name.casefold() in source.casefold() or name.casefold() in cell.casefold():
                return (f"cites {name}, whose terms forbid redistribution; such rows belong "
                        "in a licensed factor pack (--factors DIR), not in the package")
    return None


def share_alike_families(cells) -> set[str]:
    """The share-alike families used by a file's ``licence`` cells."""
    return {SHARE_ALIKE[i] for cell in cells for i in licence_ids(cell) if i in SHARE_ALIKE}
