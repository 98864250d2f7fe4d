"""Build factors/data/electricity.csv from the shared reference data.

Inputs (read-only, in ``<data-dir>/electricity/``):

* ``co2js-ember-average-intensities.json``: Ember latest-year average generation
  intensity per country (alpha-3) and for aggregates, as republished in
  Green Web Foundation CO2.js v0.19 (CC BY-SA 4.0).
* ``co2js-electricitymaps-yearly_{2021..2025}.json``: Electricity Maps yearly
  averages per zone, as republished in CO2.js (ODbL 1.0).
* ``multicriteria.csv`` (+ ``MULTICRITERIA.md``): water, ADPe and primary-energy
  factors per kWh for ~25 countries plus EU27 and WORLD.

Also reads ``factors/data/countries.csv`` (hand-written ISO 3166-1 table) to map
alpha-3 codes to alpha-2 and to check that every country code exists.

Method (see factors/data/electricity.md for the full note):

* gwp: value = Ember intensity / 1000 (kgCO2e/kWh), year = Ember year.
  low/high = min/max of {Ember value, Electricity Maps 2021..2025 values of the
  country-level zone with the same alpha-2 id}. Countries without such a zone,
  and the EU27/WORLD aggregates, get a relative band equal to the median (by
  default) downward and upward relative deviation observed over all countries
  that have both sources.
* water: copied from multicriteria.csv (alpha-3 -> alpha-2). Missing bounds are
  derived from the relative band of the EU27 row (its low/value and high/value
  ratios), as explained per row. adpe and pe of multicriteria.csv (ADEME Base
  IMPACTS) are not shipped.
* pe: derived openly (``factors.fit.derive_electricity_pe``): generation mix per
  country (Our World in Data / Ember, CC BY 4.0, as republished by CodeCarbon:
  ``--mix``) x per-technology primary energy (``factors/data/electricity-technology.csv``).
  Without the mix file the pe rows of the current table are kept unchanged.

Usage::

    python -m factors.fit.build_electricity [--data-dir ../shared/data]
        [--out factors/data/electricity.csv] [--spread-quantile 0.5]

Only the standard library and pandas are used.
"""

from __future__ import annotations

import argparse
import csv
import json
import statistics
import sys
from pathlib import Path

import pandas as pd

from factors.fit import DEFAULT_DATA_DIR, REPO_ROOT
from factors.fit.derive_electricity_pe import build_pe_rows

DEFAULT_OUT = REPO_ROOT / "factors" / "data" / "electricity.csv"
DEFAULT_MAPS_OUT = REPO_ROOT / "factors" / "data" / "electricity-maps.csv"
DEFAULT_COUNTRIES = REPO_ROOT / "factors" / "data" / "countries.csv"
DEFAULT_TECHNOLOGY = REPO_ROOT / "factors" / "data" / "electricity-technology.csv"
#: CodeCarbon's copy of the OWID generation mix (mlco2/codecarbon,
#: codecarbon/data/private_infra/global_energy_mix.json), expected in <data-dir>/electricity/.
MIX_FILE = "codecarbon-global_energy_mix.json"

COLUMNS = ["id", "country", "criterion", "value", "low", "high", "bound_basis", "unit", "source",
           "source_url", "licence", "year", "notes"]
CRITERIA = ["gwp", "water", "adpe", "pe"]
AGGREGATES = {"EU": "EU27", "World": "WORLD"}  # Ember aggregate name -> our code
EM_YEARS = range(2021, 2026)

CO2JS_COMMIT = "27cbe8328aeaad0824fb07b3640dc45b72228c7b"
LIC_EMBER = ("CC-BY-SA-4.0 -- Ember data as republished by Green Web Foundation CO2.js (Ember itself "
             "publishes under CC BY 4.0); attribute \"Ember, via Green Web Foundation CO2.js\"")
LIC_EM = ("ODbL-1.0 -- Electricity Maps data via CO2.js; attribute \"Electricity Maps, via Green "
          "Web Foundation CO2.js\"; derived database share-alike")
EMBER_SOURCE = "Ember (yearly electricity data), via Green Web Foundation CO2.js v0.19"
EMBER_URL = ("https://ember-climate.org/data/data-explorer/ ; "
             f"https://github.com/thegreenwebfoundation/co2.js/tree/{CO2JS_COMMIT}/data/output")
EM_SOURCE = "Electricity Maps yearly averages 2021-2025, via Green Web Foundation CO2.js v0.19"
EM_URL = (f"https://github.com/thegreenwebfoundation/co2.js/tree/{CO2JS_COMMIT}/data/output/electricity-maps"
          " ; https://www.electricitymaps.com/data/methodology")
LIC_WRI = ("CC-BY-4.0 -- WRI Open Data Commitment (wri.org/about/open-data-commitment): CC BY 4.0 is "
           "WRI's standard licence for publications and data; figures read as quoted in boaviztapi "
           "2.5.0; attribute \"World Resources Institute (2020)\"")
#: Criteria of multicriteria.csv not shipped: ADEME Base IMPACTS terms forbid redistribution
#: (pe is derived openly instead, see derive_electricity_pe; adpe has no open source).
RESTRICTED_CRITERIA = ("adpe", "pe")
MC_SUFFIX = "; read from the project's reference table shared/data/electricity/multicriteria.csv"


# ----------------------------------------------------------------------------- helpers

def fmt(x: float, sig: int = 6) -> str:
    """Compact decimal string with at most `sig` significant digits."""
    if x == 0:
        return "0"
    return f"{x:.{sig}g}"


def load_countries(path: Path) -> pd.DataFrame:
    df = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8")
    missing = {"alpha2", "alpha3", "name_en", "name_fr", "eu27"} - set(df.columns)
    if missing:
        raise SystemExit(f"{path}: missing columns {missing}")
    return df


def load_em(elec_dir: Path, alpha2: set[str]) -> dict[str, dict[int, float]]:
    """Country-level Electricity Maps zones: {alpha2: {year: gCO2eq/kWh}}.

    Only zones whose id is exactly an alpha-2 code (no '-' sub-zones)."""
    out: dict[str, dict[int, float]] = {}
    names: dict[str, str] = {}
    for year in EM_YEARS:
        data = json.loads((elec_dir / f"co2js-electricitymaps-yearly_{year}.json").read_text("utf-8"))
        for zone, rec in data.items():
            if "-" in zone or zone not in alpha2:
                continue
            val = (rec.get("carbonIntensity") or {}).get("value")
            if val is None:
                continue
            out.setdefault(zone, {})[year] = float(val)
            names[zone] = (rec.get("zone") or {}).get("zoneName", "")
    load_em.names = names  # type: ignore[attr-defined]
    return out


# ----------------------------------------------------------------------------- gwp

def build_gwp(elec_dir: Path, countries: pd.DataFrame, quantile: float) -> tuple[list[dict], str]:
    a3_to_a2 = dict(zip(countries.alpha3, countries.alpha2, strict=False))
    name_en = dict(zip(countries.alpha2, countries.name_en, strict=False))
    ember = json.loads((elec_dir / "co2js-ember-average-intensities.json").read_text("utf-8"))
    em = load_em(elec_dir, set(countries.alpha2))
    em_names = load_em.names  # type: ignore[attr-defined]

    # Ember records by our code
    recs: dict[str, dict] = {}
    for _key, rec in ember.items():
        code3 = rec.get("country_code") or ""
        if code3:
            if code3 not in a3_to_a2:
                raise SystemExit(f"Ember code {code3} not in countries.csv")
            recs[a3_to_a2[code3]] = rec
        elif rec.get("country_or_region") in AGGREGATES:
            recs[AGGREGATES[rec["country_or_region"]]] = rec

    # relative deviation of the Electricity Maps range from Ember, over countries with both
    down, up = [], []
    for code, rec in recs.items():
        g = float(rec["emissions_intensity_gco2_per_kwh"])
        if code in em and g > 0:
            vals = list(em[code].values()) + [g]
            down.append((g - min(vals)) / g)
            up.append((max(vals) - g) / g)
    n_both = len(down)

    def q(xs: list[float]) -> float:
        xs = sorted(xs)
        if quantile == 0.5:
            return statistics.median(xs)
        # linear interpolation between order statistics
        pos = quantile * (len(xs) - 1)
        lo_i = int(pos)
        hi_i = min(lo_i + 1, len(xs) - 1)
        return xs[lo_i] + (xs[hi_i] - xs[lo_i]) * (pos - lo_i)

    d_down, d_up = q(down), q(up)
    qlabel = "median" if quantile == 0.5 else f"{quantile:.2f}-quantile"
    band_text = (f"{qlabel} relative deviation of the Electricity Maps 2021-2025 range below/above the Ember "
                 f"value over the {n_both} countries having both sources (countries with Ember value 0 excluded): "
                 f"-{d_down * 100:.1f} % / +{d_up * 100:.1f} %")

    rows, em_rows = [], []
    for code, rec in recs.items():
        g = float(rec["emissions_intensity_gco2_per_kwh"])
        year = int(rec["year"])
        value = g / 1000.0
        notes = [f"value = Ember {year} average intensity of generation, {fmt(g)} gCO2e/kWh / 1000"]
        if code in AGGREGATES.values():
            notes[0] += f" (Ember aggregate \"{rec['country_or_region']}\")"
        if year < 2024:
            notes.append(f"Ember's latest year for this area is {year}")
        if code in em:
            notes.append(f"low/high: combined at load time with Electricity Maps row "
                         f"elecmaps-{code}-gwp (electricity-maps.csv, ODbL) as min/max of both sources")
            ev = em[code]
            series = "/".join(f"{fmt(ev[y])}" if y in ev else "n/a" for y in EM_YEARS)
            em_notes = [f"value = mean, low/high = min/max of Electricity Maps zone {code} "
                        f"(\"{em_names.get(code, '')}\") yearly averages 2021/2022/2023/2024/2025 = "
                        f"{series} gCO2eq/kWh, / 1000"]
            if len(set(ev.values())) == 1 and len(ev) > 1:
                em_notes.append("Electricity Maps gives the same value every year for this zone, "
                                "probably a modelled default rather than measured data")
            if code == "GB":
                em_notes.append("Electricity Maps zone GB covers Great Britain only (Northern Ireland is zone GB-NIR)")
            if code == "IN":
                em_notes.append("Electricity Maps zone IN is labelled \"Mainland India\"")
            em_notes.append("a consumption-based (import-adjusted) intensity; used only for the "
                            "bounds of the Ember row elec-" + code + "-gwp")
            vals = list(ev.values())
            em_rows.append(dict(
                id=f"elecmaps-{code}-gwp", country=code, criterion="gwp",
                value=fmt(statistics.mean(vals) / 1000.0), low=fmt(min(vals) / 1000.0),
                high=fmt(max(vals) / 1000.0), bound_basis="sources", unit="kgCO2e/kWh",
                source=EM_SOURCE, source_url=EM_URL, licence=LIC_EM, year=str(max(ev)),
                notes="; ".join(em_notes) + ".",
            ))
        else:
            if code in AGGREGATES.values():
                why = "Electricity Maps has no zone for this aggregate"
            else:
                why = f"no country-level Electricity Maps zone for {code} ({name_en.get(code, '')})"
            notes.append(f"{why}; low/high: set at load time to value x the median relative gap "
                         f"between the two sources over the countries having both (a formula; "
                         f"at build time: {band_text})")
        notes.append("Ember reports emissions of domestic generation")
        rows.append(dict(
            id=f"elec-{code}-gwp", country=code, criterion="gwp",
            value=fmt(value), low=fmt(value), high=fmt(value), bound_basis="none",
            unit="kgCO2e/kWh", source=EMBER_SOURCE, source_url=EMBER_URL, licence=LIC_EMBER,
            year=str(year), notes="; ".join(notes) + ".",
        ))
    build_gwp.em_rows = em_rows  # type: ignore[attr-defined]
    return rows, band_text


# ----------------------------------------------------------------------------- water/adpe/pe

MC_DESCR = {
    "water": ("WRI 2020 grid-average water consumption factor of the national generation mix "
              "(water evaporated or not returned, hydropower reservoir evaporation included; "
              "NOT withdrawal; generation stage only), m3/kWh x 1000"),
    "adpe": ("ADEME Base IMPACTS life-cycle abiotic depletion, minerals and metals (kg Sb eq) of 1 kWh of "
             "the mix, reference year 2011"),
    "pe": ("value = ADEME Base IMPACTS ADPf, i.e. NON-RENEWABLE primary energy (fossil fuels and uranium, "
           "life cycle) per kWh, reference year 2011; high = BoaviztAPI total primary-energy estimate "
           "ADPf / (1 - renewable share 2016)"),
}


def build_multicriteria(elec_dir: Path, countries: pd.DataFrame) -> list[dict]:
    a3_to_a2 = dict(zip(countries.alpha3, countries.alpha2, strict=False))
    mc = pd.read_csv(elec_dir / "multicriteria.csv", dtype={"country": str}, keep_default_na=True)
    expected = {"country", "criterion", "value", "unit", "low", "high", "year", "source",
                "source_url", "licence_note", "notes"}
    if not expected <= set(mc.columns):
        raise SystemExit(f"multicriteria.csv: missing columns {expected - set(mc.columns)}")

    # relative band of the EU27 row, per criterion
    band: dict[str, tuple[float, float, float, float, float]] = {}
    for crit in ("water",):
        eu = mc[(mc.country == "EU27") & (mc.criterion == crit)].iloc[0]
        band[crit] = (eu.low / eu.value, eu.high / eu.value, eu.low, eu.value, eu.high)

    rows = []
    for r in mc.itertuples(index=False):
        if r.criterion in RESTRICTED_CRITERIA:
            continue  # ADEME Base IMPACTS figures: not redistributable (see electricity.md)
        code = r.country if r.country in ("EU27", "WORLD") else a3_to_a2.get(r.country)
        if code is None:
            raise SystemExit(f"multicriteria.csv: unknown country {r.country}")
        crit = r.criterion
        value = float(r.value)
        low = None if pd.isna(r.low) else float(r.low)
        high = None if pd.isna(r.high) else float(r.high)
        notes = [MC_DESCR[crit]]
        f_lo, f_hi, eu_lo, eu_val, eu_hi = band[crit]
        derived = []
        if low is None:
            low = value * f_lo
            derived.append("low")
        if high is None:
            high = value * f_hi
            derived.append("high")
        if derived:
            if crit == "water":
                what = (f"the EU27 water row's inter-quartile band relative to its median "
                        f"({fmt(eu_lo, 4)}/{fmt(eu_val, 4)} and {fmt(eu_hi, 4)}/{fmt(eu_val, 4)}: P25 and P75 of the "
                        f"26 member-state WRI factors)")
            elif crit == "adpe":
                what = (f"the EU27 ADPe row's band relative to its value ({fmt(eu_lo, 4)}/{fmt(eu_val, 4)} and "
                        f"{fmt(eu_hi, 4)}/{fmt(eu_val, 4)}: P25 and P75 of the 27 member-state ADEME values over "
                        f"ADEME's Europe mix)")
            else:
                what = (f"the EU27 PE row's low relative to its value ({fmt(eu_lo, 4)}/{fmt(eu_val, 4)}: P25 of "
                        f"member-state ADPf over ADEME's Europe-mix ADPf)")
            factors = {"low": f_lo, "high": f_hi}
            spec = " and ".join(f"{b} = value x {factors[b]:.3f}" for b in derived)
            notes.append(f"source gives no {'/'.join(derived)}: {spec}, i.e. {what}; this is cross-country "
                         f"dispersion used as an uncertainty proxy, not a measured uncertainty of this factor")
        if crit == "pe" and code == "FR":
            notes.append("low = French conventional primary-energy factor for electricity 1.9 (DPE from "
                         "1 Jan 2026) x 3.6 MJ/kWh, a regulatory convention")
        if code in ("EU27", "WORLD") or crit == "adpe":
            notes.append(f"multicriteria.csv note: {r.notes}")
        rows.append(dict(
            id=f"elec-{code}-{crit}", country=code, criterion=crit,
            value=fmt(value), low=fmt(low, 4 if "low" in derived else 6),
            high=fmt(high, 4 if "high" in derived else 6),
            bound_basis="formula" if derived else "sources", unit=r.unit,
            source=str(r.source) + MC_SUFFIX, source_url=r.source_url,
            licence=LIC_WRI.replace(" -- ", " + fact -- Mekonnen et al. 2015 abstract figure for high; ", 1)
            if code == "WORLD" else LIC_WRI,
            year=str(int(r.year)), notes="; ".join(notes) + ".",
        ))
    return rows


# ----------------------------------------------------------------------------- checks

def check(out: Path, countries: pd.DataFrame) -> None:
    df = pd.read_csv(out, dtype={"country": str, "id": str}, keep_default_na=False, encoding="utf-8")
    errors = []
    if list(df.columns) != COLUMNS:
        errors.append(f"columns {list(df.columns)} != {COLUMNS}")
    dup = df.id[df.id.duplicated()].tolist()
    if dup:
        errors.append(f"duplicate ids: {dup}")
    for c in ("value", "low", "high"):
        df[c] = pd.to_numeric(df[c], errors="coerce")
        if df[c].isna().any():
            errors.append(f"non-numeric {c}: {df.id[df[c].isna()].tolist()}")
        if (df[c] < 0).any():
            errors.append(f"negative {c}: {df.id[df[c] < 0].tolist()}")
    bad = df[(df.low > df.value) | (df.value > df.high)]
    if len(bad):
        errors.append(f"low <= value <= high violated: {bad.id.tolist()}")
    for c in ("source", "unit", "year", "source_url", "licence", "notes"):
        empty = df.id[df[c].astype(str).str.strip() == ""].tolist()
        if empty:
            errors.append(f"empty {c}: {empty}")
    if not df.year.astype(str).str.fullmatch(r"\d{4}").all():
        errors.append("year not an integer")
    known = set(countries.alpha2) | {"EU27", "WORLD"}
    unknown = sorted(set(df.country) - known)
    if unknown:
        errors.append(f"country codes not in countries.csv: {unknown}")
    prefix = "elecmaps-" if out.name == DEFAULT_MAPS_OUT.name else "elec-"
    if not (df.id == prefix + df.country + "-" + df.criterion).all():
        errors.append("id does not match elec-{country}-{criterion}")
    if errors:
        raise SystemExit("CHECK FAILED:\n  " + "\n  ".join(errors))
    print(f"checks passed: {len(df)} rows, unique ids, low <= value <= high, source/unit/year present, "
          f"all codes in countries.csv")
    print("countries per criterion (aggregates EU27/WORLD counted separately):")
    for crit in CRITERIA:
        sub = df[df.criterion == crit]
        n_agg = sub.country.isin(["EU27", "WORLD"]).sum()
        print(f"  {crit:6s} {len(sub) - n_agg:4d} countries + {n_agg} aggregates = {len(sub)} rows")


# ----------------------------------------------------------------------------- main

def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--data-dir", type=Path, default=DEFAULT_DATA_DIR,
                    help="shared reference data folder (default: ../shared/data relative to the repo root)")
    ap.add_argument("--countries", type=Path, default=DEFAULT_COUNTRIES)
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    ap.add_argument("--mix", type=Path, default=None,
                    help=f"generation mix per country (default: <data-dir>/electricity/{MIX_FILE}); "
                         "when absent, the pe rows of the current table are kept")
    ap.add_argument("--spread-quantile", type=float, default=0.5,
                    help="quantile of the Ember-vs-Electricity Maps relative deviations used for gwp rows "
                         "without Electricity Maps data (default 0.5 = median)")
    args = ap.parse_args(argv)

    elec_dir = args.data_dir / "electricity"
    countries = load_countries(args.countries)
    gwp_rows, band_text = build_gwp(elec_dir, countries, args.spread_quantile)
    mc_rows = build_multicriteria(elec_dir, countries)
    mix = args.mix or elec_dir / MIX_FILE
    if mix.exists():
        pe_rows = build_pe_rows(mix, DEFAULT_TECHNOLOGY, countries)
        print(f"pe: derived from {mix} x {DEFAULT_TECHNOLOGY.name} ({len(pe_rows)} areas)")
    else:
        current = pd.read_csv(args.out, dtype=str, keep_default_na=False) if args.out.exists() else None
        pe_rows = [] if current is None else current[current.criterion == "pe"].to_dict("records")
        print(f"pe: {mix} not found; kept the {len(pe_rows)} pe rows of {args.out}")

    def key(r: dict) -> tuple:
        agg = r["country"] in ("EU27", "WORLD")
        return (CRITERIA.index(r["criterion"]), agg, r["country"])

    rows = sorted(gwp_rows + mc_rows + pe_rows, key=key)
    em_rows = sorted(build_gwp.em_rows, key=key)  # type: ignore[attr-defined]
    args.out.parent.mkdir(parents=True, exist_ok=True)
    for out, table in ((args.out, rows), (args.out.with_name(DEFAULT_MAPS_OUT.name), em_rows)):
        with open(out, "w", newline="", encoding="utf-8") as f:
            w = csv.DictWriter(f, fieldnames=COLUMNS, lineterminator="\n")
            w.writeheader()
            w.writerows(table)
        print(f"wrote {out} ({len(table)} rows)")
    print(f"not shipped from multicriteria.csv: {', '.join(RESTRICTED_CRITERIA)} (ADEME Base IMPACTS "
          "terms forbid redistribution); adpe is left to a licensed factor pack (docs/factors.md)")
    print(f"gwp spread for areas without Electricity Maps data: {band_text}")
    check(args.out, countries)
    check(args.out.with_name(DEFAULT_MAPS_OUT.name), countries)
    return 0


if __name__ == "__main__":
    sys.exit(main())
