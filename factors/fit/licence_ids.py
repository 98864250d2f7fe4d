"""Give every packaged factor row a licence id and a ``bound_basis``, then write LICENSES.md.

The build scripts wrote a descriptive licence text per row; this step turns it into the ids the
licence gate checks (:mod:`factors.licences`), keeping the text after ``" -- "``, and classifies
each row's bounds. It is idempotent: rows already tagged are left as they are.

Rules, applied to each part of the text (parts are split on ``" | "`` and ``"; "``):

- "CC BY-SA 4.0" -> ``CC-BY-SA-4.0``; "ODbL" -> ``ODbL-1.0``; "CC BY 4.0" -> ``CC-BY-4.0``;
  "public domain" -> ``public-domain``; "Licence Ouverte" -> ``etalab-2.0``;
  "Commission Decision 2011/833/EU" -> ``EU-reuse``; "extracts Apache-2.0 / MIT" -> both;
  "MIT" / "LGPL-3.0" / "AGPL-3.0-or-later" (the project's own documentation) -> that id;
- any part saying the figures or facts are quoted (no text or code copied) -> ``fact``;
- a part naming a restricted database (Base Empreinte, Base IMPACTS, NegaOctet) is kept as the
  literal text so that the gate refuses the row.

``bound_basis``: ``calibrated`` for the fitted model files; ``none`` when low = value = high;
``formula`` when the notes say the bound is a ratio or a fixed band (x0.698, "relative band",
"single source", "+/-"); ``sources`` otherwise (the bounds are the spread of cited figures).
Build scripts that know better set the column themselves (electricity, embodied).

Usage::

    python -m factors.fit.licence_ids            # tag every table, rewrite LICENSES.md
    python -m factors.fit.licence_ids --check    # exit 1 when LICENSES.md is not current
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

import pandas as pd

from factors.fit import REPO_ROOT
from factors.licences import (
    ALLOWED,
    NOTE_SEPARATOR,
    PACK_ONLY,
    SEPARATOR,
    licence_ids,
    share_alike_families,
)

DATA = REPO_ROOT / "factors" / "data"

#: Factor tables (id, value, low, high, ..., licence) gated by the loader.
FACTOR_FILES: tuple[str, ...] = (
    "electricity.csv", "electricity-maps.csv", "embodied.csv", "archetypes.csv", "parameters.csv",
    "scoring.csv", "embodied-model.csv", "server-power-model.csv", "methods/ademe/embodied.csv",
    "methods/ademe/electricity.csv",
)
#: Other shipped data files with a licence column (not factors, listed in LICENSES.md too).
OTHER_FILES: tuple[str, ...] = ("eol-cycles.csv", "eol-win11-cpus.csv", "electricity-technology.csv")
CALIBRATED_FILES = ("embodied-model.csv", "server-power-model.csv")
BOUND_BASES = ("sources", "formula", "calibrated", "none")

_RULES: tuple[tuple[str, str], ...] = (
    (r"CC[ -]BY[ -]SA[ -]4\.0", "CC-BY-SA-4.0"),
    (r"ODbL", "ODbL-1.0"),
    (r"CC[ -]BY[ -]4\.0", "CC-BY-4.0"),
    (r"public domain", "public-domain"),
    (r"Licence Ouverte", "etalab-2.0"),
    (r"Commission Decision 2011/833/EU", "EU-reuse"),
    (r"extracts Apache-2\.0 / MIT", "Apache-2.0 + MIT"),
    (r"^MIT\b|MIT extract", "MIT"),
    (r"^LGPL-3\.0$", "LGPL-3.0"),
    (r"project documentation \(AGPL", "AGPL-3.0"),
)
_FACT = re.compile(r"facts? quoted|figures? quoted|figures? (are )?used|only the (threshold )?"
                   r"figures?|numeric factors quoted|\(facts\)|quoted with attribution", re.I)
_RESTRICTED = re.compile(r"Base Empreinte|Base IMPACTS|NegaOctet", re.I)
_FORMULA = re.compile(r"x ?0\.\d{2,}|x ?1\.\d{2,}|relative band|single source|\+/- ?\d|±|"
                      r"fixed ratio|times the value|of the value", re.I)


def ids_from_text(text: str) -> str:
    """Licence ids for one descriptive licence text (``" + "``-joined, order of appearance)."""
    if all(i in ALLOWED or i in PACK_ONLY for i in licence_ids(text)) and licence_ids(text):
        return text.split(NOTE_SEPARATOR, 1)[0]
    ids: list[str] = []
    for part in re.split(r" \| |; (?=[A-Za-z])|, (?=GWP basis)", text):
        part = part.strip()
        if not part:
            continue
        if _RESTRICTED.search(part):
            found = [_RESTRICTED.search(part).group(0)]
        else:
            found = [ident for pattern, ident in _RULES if re.search(pattern, part, re.I)]
            if not found and _FACT.search(part):
                found = ["fact"]
        for ident in found:
            for single in ident.split(SEPARATOR):
                if single not in ids:
                    ids.append(single)
    return SEPARATOR.join(ids) if ids else text


def tag_licences(frame: pd.DataFrame) -> pd.DataFrame:
    """``licence`` cells as ``ids -- original text`` (idempotent)."""
    out = frame.copy()

    def one(cell: str) -> str:
        ids = ids_from_text(cell)
        if cell == ids or cell.startswith(ids + NOTE_SEPARATOR):
            return cell
        return f"{ids}{NOTE_SEPARATOR}{cell}"

    out["licence"] = out["licence"].map(one)
    return out


def bound_basis(row: pd.Series, file_name: str) -> str:
    """How a row's low/high were obtained (see the module docstring)."""
    if file_name in CALIBRATED_FILES:
        return "calibrated"
    try:
        if float(row["low"]) == float(row["value"]) == float(row["high"]):
            return "none"
    except (TypeError, ValueError):
        return "none"
    if _FORMULA.search(str(row.get("notes", ""))):
        return "formula"
    return "sources"


def tag_file(path: Path) -> None:
    """Tag one table in place: licence ids and, where missing, ``bound_basis``."""
    frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    frame = tag_licences(frame)
    if "value" in frame.columns:
        if "bound_basis" not in frame.columns:
            frame.insert(list(frame.columns).index("high") + 1, "bound_basis", "")
        empty = frame["bound_basis"] == ""
        frame.loc[empty, "bound_basis"] = [bound_basis(r, path.name) for _, r in frame[empty].iterrows()]
    frame.to_csv(path, index=False, lineterminator="\n", encoding="utf-8")


# --------------------------------------------------------------------------------------------
# LICENSES.md
# --------------------------------------------------------------------------------------------
#: Attribution text and source commit or date per licence id, as the sources ask to be credited.
ATTRIBUTION: dict[str, str] = {
    "CC-BY-SA-4.0": "\"Ember, via Green Web Foundation CO2.js\" (CO2.js commit 27cbe832, "
                    "Ember yearly data 2022-2024)",
    "ODbL-1.0": "\"Electricity Maps, via Green Web Foundation CO2.js\" (CO2.js commit 27cbe832, "
                "yearly averages 2021-2025); \"Boavizta environmental-footprint-data\" (commit "
                "61323eb, 2023-02-23): derived databases stay under ODbL 1.0",
    "DbCL-1.0": "contents of the Boavizta environmental-footprint-data database (commit 61323eb)",
    "CC-BY-4.0": "\"World Resources Institute (2020)\", Guidance for Calculating Water Use "
                 "Embedded in Purchased Electricity (WRI Open Data Commitment: CC BY 4.0 for "
                 "publications and data); \"Our World in Data based on Ember (2025)\", energy "
                 "dataset (github.com/owid/energy-data, electricity generation by source, latest "
                 "year per country, 2021-2023 but one area), as republished by CodeCarbon (MIT, "
                 "commit b05965e4)",
    "MIT": "endoflife.date contributors (commit a70eca33, 2026-08-22); green-coding "
           "cloud-energy (SPECpower extract); ADEME Impact CO2, \"Copyright (c) 2022 Datagir\" "
           "(incubateur-ademe/impactco2, snapshot of 2026-07-01, commit 8076a489; figures of "
           "ADEME-Arcep 2022); see LICENSE-MIT-*.txt",
    "Apache-2.0": "cloud-carbon-footprint/ccf-coefficients (commit b0032d92), SPECpower extract",
    "LGPL-3.0": "Windows 11 CPU lists (see LICENSE-LGPL-3.0-win11-cpus.txt)",
    "AGPL-3.0": "this project's own documentation",
    "public-domain": "US government works (ENERGY STAR, DOE FEMP, EPA, EIA heat rates): no "
                     "attribution required, cited per row",
    "etalab-2.0": "French official texts and ADEME open data (Licence Ouverte 2.0): cited per row",
    "EU-reuse": "EU legislation (Commission Decision 2011/833/EU): \"(c) European Union\", "
                "cited per row",
    "fact": "isolated figures cited per row (source, source_url, year); no text, table or "
            "database extract copied",
}


#: Per file: where its figures come from (attribution) and the source commit or date.
FILE_SOURCES: dict[str, str] = {
    "electricity.csv": "Ember yearly electricity data (latest year 2022-2024 per area) via Green Web "
                       "Foundation CO2.js v0.19, commit 27cbe832; WRI (2020) water factors read via "
                       "boaviztapi 2.5.0; Mekonnen et al. (2015) abstract figure (WORLD water high); "
                       "pe: Our World in Data generation mix (Ember) via CodeCarbon commit b05965e4 x "
                       "electricity-technology.csv",
    "electricity-maps.csv": "Electricity Maps yearly averages 2021-2025 via CO2.js commit 27cbe832",
    "embodied.csv": "Boavizta environmental-footprint-data commit 61323eb (2023-02-23, TRAIN split); "
                    "Boavizta methodology figures from boaviztapi 2.5.0 factors.yml; ADEME-Arcep 2022 "
                    "and ADEME 2019 figures via ADEME Impact CO2 commits 00ff7a27 / e5c602fc; EcoDiag "
                    "(sopht-com/ecodiag, undated); GreenIT.fr 2020; see embodied.md",
    "archetypes.csv": "per row (source, source_url, year); see archetypes.md",
    "parameters.csv": "per row (source, source_url, year)",
    "scoring.csv": "per row (source, source_url, year); see scoring notes",
    "embodied-model.csv": "fitted on Boavizta environmental-footprint-data commit 61323eb5, TRAIN split "
                          "(factors/fit/fit_embodied.py)",
    "server-power-model.csv": "fitted on SPECpower_ssj2008 results as parsed by green-coding "
                              "cloud-energy commit 6a25a2bd (MIT) and ccf-coefficients commit b0032d92 "
                              "(Apache-2.0), TRAIN split; cite SPEC, spec.org",
    "methods/ademe/embodied.csv": "ADEME-Arcep (2022) figures in ADEME Impact CO2 "
                                  "(src/data/categories/numerique.json, commit 00ff7a27); licence file "
                                  "read at commit 8076a489 (2026-07-01)",
    "methods/ademe/electricity.csv": "derived from electricity.csv's elec-FR-gwp (Ember via CO2.js "
                                     "27cbe832) and French grid losses (RTE, Enedis, EDF URD 2021), "
                                     "see factors/fit/build_method_ademe.py",
    "eol-cycles.csv": "endoflife.date commit a70eca33 (snapshot 2026-08-22)",
    "electricity-technology.csv": "IEA/Eurostat physical energy content convention (IEA statistics "
                                  "FAQ); US EIA Electric Power Annual Table 8.1 heat rates 2012-2022; "
                                  "OECD/IEA net/gross calorific ratio; DOE/EPRI 1997 biopower",
    "eol-win11-cpus.csv": "WhyNotWin11 commit 35f8630e (list version 2025.10.6)",
}


def licenses_markdown(data_dir: Path = DATA) -> str:
    """The text of ``factors/data/LICENSES.md``, generated from the tables."""
    lines = [
        "# Licences of the shipped data (generated)",
        "",
        "Generated by `python -m factors.fit.licence_ids` from the `licence` column of each file;",
        "a test fails when this file is not current. Each row's licence ids are checked by the",
        "licence gate (`factors/licences.py`) when the table is loaded; the allowed ids are:",
        "",
    ]
    lines += [f"- `{k}`: {v}" for k, v in ALLOWED.items()]
    lines += ["", "Accepted only in a user's factor pack:", ""]
    lines += [f"- `{k}`: {v}" for k, v in PACK_ONLY.items()]
    lines += ["", "A file holds at most one share-alike family (CC BY-SA 4.0 with the GPL family, "
              "or ODbL): Ember (CC BY-SA) and Electricity Maps (ODbL) figures are in separate files "
              "(`electricity.csv`, `electricity-maps.csv`) combined when the library loads.", ""]
    lines += ["| file | rows | licence ids (rows) | share-alike family | bound basis (rows) |",
              "|---|---|---|---|---|"]
    used: set[str] = set()
    for name in (*FACTOR_FILES, *OTHER_FILES):
        path = data_dir / name
        if not path.exists():
            continue
        frame = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
        counts: dict[str, int] = {}
        for cell in frame["licence"]:
            for ident in licence_ids(cell):
                counts[ident] = counts.get(ident, 0) + 1
                used.add(ident)
        ids = ", ".join(f"`{k}` ({v})" for k, v in sorted(counts.items()))
        family = ", ".join(sorted(share_alike_families(frame["licence"]))) or "none"
        basis = "-"
        if "bound_basis" in frame.columns:
            basis = ", ".join(f"{k} ({v})" for k, v in frame["bound_basis"].value_counts().sort_index().items())
        lines.append(f"| `{name}` | {len(frame)} | {ids} | {family} | {basis} |")
    lines += ["", "## Sources per file (attribution, commit or date)", ""]
    lines += [f"- `{name}`: {text}" for name, text in FILE_SOURCES.items() if (data_dir / name).exists()]
    lines += ["", "## Attribution", ""]
    lines += [f"- `{k}`: {ATTRIBUTION[k]}" for k in ATTRIBUTION if k in used]
    lines += ["", "Each row's `source`, `source_url` and `year` give the exact publication; the "
              "per-table notes (`electricity.md`, `embodied.md`, `archetypes.md`, ...) give the "
              "commits and dates of the copies read.", ""]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="only check LICENSES.md is current")
    args = parser.parse_args(argv)
    target = DATA / "LICENSES.md"
    if args.check:
        current = target.read_text(encoding="utf-8") if target.exists() else ""
        return 0 if current == licenses_markdown() else 1
    for name in (*FACTOR_FILES, *OTHER_FILES):
        if (DATA / name).exists() and name not in OTHER_FILES:
            tag_file(DATA / name)
    target.write_text(licenses_markdown(), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
