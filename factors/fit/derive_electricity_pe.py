"""Primary energy per kWh of electricity per country, derived openly from the generation mix.

``pe`` [MJ/kWh] of an area = sum over technologies of (share of generation x primary energy per
kWh of that technology). The shares come from Our World in Data's energy dataset (electricity
generation by source in TWh, per country, latest year; CC BY 4.0, built on Ember's yearly
electricity data), as republished by CodeCarbon (``codecarbon/data/private_infra/
global_energy_mix.json``); the per-technology figures from ``factors/data/electricity-
technology.csv`` (IEA/Eurostat physical energy content method: nuclear heat at 33 %, hydro, wind
and solar electricity counted as primary, geothermal at 10 %; fossil fuel input from US EIA fleet
heat rates on a net calorific basis). It is **total** primary energy (renewable and not) at
**generation**, without grid losses, upstream fuel chains or plant construction, the kind of figure
the regulatory primary energy factors give (EU default 2.1 in Directive (EU) 2018/2002), not the
life-cycle non-renewable figures once quoted from ADEME Base IMPACTS.

References
----------
Our World in Data, energy dataset, https://github.com/owid/energy-data (CC BY 4.0), built on
Ember, Yearly Electricity Data (CC BY 4.0) and the Energy Institute Statistical Review.
IEA, Statistics questionnaires FAQ, "methods of calculation of primary energy equivalent".
US EIA, Electric Power Annual, Table 8.1 (2012-2022 heat rates).
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd

#: Mix columns of the CodeCarbon/OWID file -> technology of ``electricity-technology.csv``.
MIX_COLUMNS: dict[str, str] = {
    "coal_TWh": "coal",
    "gas_TWh": "gas",
    "oil_TWh": "oil",
    "nuclear_TWh": "nuclear",
    "hydroelectricity_TWh": "hydro",
    "wind_TWh": "wind",
    "solar_TWh": "solar",
    "biofuel_TWh": "bioenergy",
    "other_renewable_exc_biofuel_TWh": "other_renewable",
}
CODECARBON_COMMIT = "b05965e43b690cdc53787c7577adbe6e2caf4ed9"
MIX_SOURCE = ("Our World in Data energy dataset (electricity generation by source, from Ember yearly "
              "electricity data and the Energy Institute Statistical Review), as republished by "
              f"CodeCarbon (mlco2/codecarbon commit {CODECARBON_COMMIT[:8]}, "
              "codecarbon/data/private_infra/global_energy_mix.json)")
MIX_URL = ("https://github.com/owid/energy-data ; https://github.com/mlco2/codecarbon/blob/"
           f"{CODECARBON_COMMIT}/codecarbon/data/private_infra/global_energy_mix.json")
LICENCE = ("CC-BY-4.0 + public-domain + fact -- generation mix: Our World in Data (CC BY 4.0, data "
           "from Ember, CC BY 4.0), via CodeCarbon (MIT); per-technology factors: IEA/Eurostat "
           "convention (fact) and US EIA heat rates (public domain), see electricity-technology.csv; "
           "attribute \"Our World in Data based on Ember (2025); US EIA; IEA\"")


def load_technology(path: Path) -> pd.DataFrame:
    """Per-technology primary energy per kWh (``value``, ``low``, ``high`` [MJ/kWh]) by technology."""
    table = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    for column in ("value", "low", "high"):
        table[column] = table[column].astype(float)
    missing = set(MIX_COLUMNS.values()) - set(table["technology"])
    if missing:
        raise SystemExit(f"{path}: no row for technologies {sorted(missing)}")
    return table.set_index("technology")


def load_mix(path: Path, countries: pd.DataFrame) -> tuple[dict[str, tuple[int, dict[str, float]]],
                                                           dict[str, tuple[int, int, int]]]:
    """Generation by technology [TWh] and its year, per area (alpha-2, plus ``EU27``, ``WORLD``).

    EU27 and WORLD are the sums of their countries' latest years (which differ: 2021 to 2023);
    the second result gives, for each aggregate, (first year, last year, number of countries).
    """
    data = json.loads(Path(path).read_text(encoding="utf-8"))
    a3_to_a2 = dict(zip(countries.alpha3, countries.alpha2, strict=False))
    eu = set(countries.loc[countries.eu27.astype(str) == "1", "alpha2"])
    out: dict[str, tuple[int, dict[str, float]]] = {}
    spans: dict[str, tuple[int, int, int]] = {}
    for code3, record in data.items():
        if code3 not in a3_to_a2:
            continue
        twh = {tech: float(record.get(column) or 0.0) for column, tech in MIX_COLUMNS.items()}
        if sum(twh.values()) > 0:
            out[a3_to_a2[code3]] = (int(record["year"]), twh)
    for name, members in (("EU27", eu), ("WORLD", set(out))):
        years = [out[c][0] for c in members if c in out]
        total = {tech: sum(out[c][1][tech] for c in members if c in out) for tech in MIX_COLUMNS.values()}
        out[name] = (max(years), total)
        spans[name] = (min(years), max(years), len(years))
    return out, spans


def primary_energy_mj_per_kwh(twh: dict[str, float], technology: pd.DataFrame) -> tuple[float, float, float]:
    """Generation-weighted primary energy per kWh [MJ/kWh]: (value, low, high).

    Parameters
    ----------
    twh
        Generation by technology [TWh] (any energy unit: only the shares matter).
    technology
        ``load_technology`` table: primary energy per kWh of each technology [MJ/kWh].
    """
    total = sum(twh.values())
    if total <= 0:
        raise ValueError("no generation")
    return tuple(sum(twh[t] * technology.loc[t, c] for t in twh) / total  # type: ignore[return-value]
                 for c in ("value", "low", "high"))


def build_pe_rows(mix_path: Path, technology_path: Path, countries: pd.DataFrame) -> list[dict]:
    """One ``elec-{area}-pe`` row per area with a generation mix."""
    technology = load_technology(technology_path)
    rows = []
    mix, spans = load_mix(mix_path, countries)
    for code, (year, twh) in mix.items():
        value, low, high = primary_energy_mj_per_kwh(twh, technology)
        total = sum(twh.values())
        shares = ", ".join(f"{t} {twh[t] / total * 100:.1f} %" for t in MIX_COLUMNS.values() if twh[t] > 0)
        notes = [f"TOTAL primary energy (renewable and non-renewable) per kWh generated, physical energy "
                 f"content method (IEA/Eurostat), at generation: no grid losses, fuel supply chain or "
                 f"plant construction; = sum of generation share x per-technology factor of "
                 f"electricity-technology.csv (value, low, high evaluated alike); mix {year} "
                 f"({total:.5g} TWh): {shares}; primary energy factor {value / 3.6:.3f} kWh/kWh"]
        if code in ("EU27", "WORLD"):
            lo, hi, n = spans[code]
            notes.append(f"sum of the {n} countries' latest years ({lo}-{hi})")
        rows.append(dict(
            id=f"elec-{code}-pe", country=code, criterion="pe", value=f"{value:.4g}",
            low=f"{low:.4g}", high=f"{high:.4g}",
            bound_basis="sources" if high > low else "none", unit="MJ/kWh",
            source=MIX_SOURCE + "; per-technology primary energy: factors/data/electricity-technology.csv",
            source_url=MIX_URL, licence=LICENCE, year=str(year), notes="; ".join(notes) + ".",
        ))
    return rows
