"""``auditor compare``: hand-checked cases per kind of field, consistency with the engine, properties.

Engine values (embodied footprint, yearly use) come from :func:`auditor.footprint.assess` run on
a hand-written canonical row; the arithmetic over the horizon (replacements, proration, shares,
repairs, costs) is done by hand in each test, from the cited figures where a factor is involved.
"""

from __future__ import annotations

import json
import math
import textwrap

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from auditor.compare import compare
from auditor.footprint import AssessOptions, assess
from auditor.inventory import table_from_records
from auditor.options_file import read_options
from auditor.results import embodied_column, total_column, use_column
from tests.conftest import EXAMPLES, TODAY

CRITS = ("gwp", "water", "adpe", "pe")


def options_file(tmp_path, body: str, name: str = "options.yaml"):
    path = tmp_path / name
    path.write_text(textwrap.dedent(body), encoding="utf-8")
    return path


def run(tmp_path, body: str, **kwargs):
    return compare(read_options(options_file(tmp_path, body)), today=TODAY, **kwargs)


def engine(record: dict, library, country: str = "FR"):
    """The engine's results row for one hand-written record (not through compare)."""
    table = table_from_records([record], country=country, today=TODAY, library=library)
    return assess(table, library, AssessOptions(today=TODAY)).iloc[0]


def by_id(comparison, option_id):
    return next(r for r in comparison.results if r.option.id == option_id)


LAPTOP = {"category": "laptop", "power_w": 10, "hours_per_day": 8, "days_per_year": 200}


def test_lifetime_replacements_and_last_device_prorated(tmp_path, library):
    # 10 years with 4-year devices: 4 + 4 + 2 -> 2 replacements, manufacture = E x (1 + 1 + 2/4)
    result = run(tmp_path, """
        horizon_years: 10
        country: FR
        usage: {hours_per_day: 8, days_per_year: 200}
        options:
          - {id: new, category: laptop, power_w: 10, lifetime_years: 4}
    """)
    row = engine({**LAPTOP, "year": 2026, "lifetime_years": 4}, library)
    r = by_id(result, "new")
    assert r.replacements == 2
    for c in CRITS:
        for i, b in enumerate(("", "low", "high")):
            assert r.manufacture[c][i] == pytest.approx(row[embodied_column(c, b)] * 2.5, rel=1e-9, nan_ok=True)
            assert r.use[c][i] == pytest.approx(row[use_column(c, b)] * 10, rel=1e-9, nan_ok=True)
    assert r.total("energy")[0] == pytest.approx(row["energy_kwh_per_year"] * 10, nan_ok=True)
    # energy by hand: 200 d x (8 h x 10 W + 16 h x 0.5 W) + 165 d x 24 h x 0.5 W = 19.58 kWh/yr
    # (0.5 W: laptop off power of archetypes.csv)
    assert r.total("energy")[0] == pytest.approx(195.8, rel=1e-9, nan_ok=True)


def test_existing_device_carries_no_manufacture_until_replaced(tmp_path, library):
    # kept 3 more years, then a new laptop of the archetype lifetime (4 y) serves the last 2 of 5
    result = run(tmp_path, """
        horizon_years: 5
        country: FR
        usage: {hours_per_day: 8, days_per_year: 200}
        options:
          - {id: old, category: laptop, existing: true, year: 2019, power_w: 20, lifetime_years: 3}
    """)
    old = engine({**LAPTOP, "power_w": 20, "year": 2019}, library)
    new = engine({**LAPTOP, "power_w": 20, "year": 2026}, library)
    r = by_id(result, "old")
    assert r.replacements == 1
    life = new["lifetime_years"]
    assert life == 4  # laptop archetype lifetime (ADEME & Arcep 2022)
    for c in CRITS:
        assert r.manufacture[c][0] == pytest.approx(new[embodied_column(c)] * 2 / life, rel=1e-9, nan_ok=True)
        assert r.use[c][0] == pytest.approx(old[use_column(c)] * 3 + new[use_column(c)] * 2, rel=1e-9, nan_ok=True)


def test_refurbished_carries_the_cited_share(tmp_path, library):
    # ADEME (2022): a refurbished laptop avoids 43-97 % of a new one's yearly impacts -> it carries
    # 1 - 0.97 = 0.03 to 1 - 0.43 = 0.57 of the manufacture, 0.30 at the midpoint
    result = run(tmp_path, """
        horizon_years: 4
        country: FR
        usage: {hours_per_day: 8, days_per_year: 200}
        options:
          - {id: refurb, category: laptop, refurbished: true, year: 2022, power_w: 10, lifetime_years: 4}
    """)
    row = engine({**LAPTOP, "year": 2022, "lifetime_years": 4}, library)
    r = by_id(result, "refurb")
    for c in CRITS:
        value, low, high = (row[embodied_column(c, b)] for b in ("", "low", "high"))
        assert r.manufacture[c] == pytest.approx([0.30 * value, 0.03 * low, 0.57 * high], rel=1e-9, nan_ok=True)
    assert any("refurb-laptop-share" in n for n in r.notes)


def test_quantity_multiplies_every_part(tmp_path):
    body = """
        horizon_years: 6
        country: FR
        usage: {{hours_per_day: 8, days_per_year: 200}}
        electricity_price: 0.2
        options:
          - {{id: a, category: laptop, power_w: 10, lifetime_years: 4, quantity: {q}, price: 800,
             repairs: [{{part: battery, wh: 50, price: 80}}]}}
    """
    one = by_id(run(tmp_path, body.format(q=1)), "a")
    three = by_id(run(tmp_path, body.format(q=3)), "a")
    for c in ("energy", *CRITS):
        assert three.total(c) == pytest.approx([3 * v for v in one.total(c)], rel=1e-9, nan_ok=True)
    assert three.cost == pytest.approx(3 * one.cost, rel=1e-9, nan_ok=True)


def test_cost_prorates_the_last_device_and_adds_electricity(tmp_path, library):
    result = run(tmp_path, """
        horizon_years: 6
        country: FR
        usage: {hours_per_day: 8, days_per_year: 200}
        electricity_price: 0.2
        options:
          - {id: a, category: laptop, power_w: 10, lifetime_years: 4, quantity: 2, price: 900}
          - {id: b, category: laptop, power_w: 10, lifetime_years: 4}
    """)
    row = engine({**LAPTOP, "year": 2026, "lifetime_years": 4, "quantity": 2}, library)
    # 2 laptops x 900 x (1 + 2/4) devices + 6 years x energy x 0.2 per kWh
    assert by_id(result, "a").cost == pytest.approx(2 * 900 * 1.5 + 6 * row["energy_kwh_per_year"] * 0.2, nan_ok=True)
    b = by_id(result, "b")  # buys laptops without a price: its cost is unknown, not just electricity
    assert b.cost is None
    assert any("no price for the devices" in n for n in b.notes)
    no_price = run(tmp_path, """
        horizon_years: 6
        country: FR
        options: [{id: a, category: laptop}]
    """)
    assert by_id(no_price, "a").cost is None


def test_repairs_use_the_cited_part_footprints(tmp_path):
    # battery 42 Wh x 74 [54, 115] kgCO2/kWh (Peiseler et al. 2024, NMC811 median, LFP p5, NMC811 p95)
    # ram 8 GB: 5.22 kgCO2e per module + 8 GB x 2.2 kgCO2e/cm2 / density; density = mean of the 11
    # boaviztapi rows (13.688 / 11 GB/cm2), low with the densest 2.375, high with the least dense 0.625
    result = run(tmp_path, """
        horizon_years: 3
        country: FR
        usage: {hours_per_day: 8, days_per_year: 200}
        options:
          - id: keep
            category: laptop
            existing: true
            year: 2020
            lifetime_years: 3
            repairs: [{part: battery, wh: 42}, {part: ram, gb: 8, count: 2}]
    """)
    r = by_id(result, "keep")
    battery = [42 * 0.074, 42 * 0.054, 42 * 0.115]
    ram = [5.22 + 8 * 2.2 / (13.688 / 11), 5.22 + 8 * 2.2 / 2.375, 5.22 + 8 * 2.2 / 0.625]
    assert r.repairs["gwp"] == pytest.approx([b + 2 * m for b, m in zip(battery, ram, strict=True)], rel=1e-4, nan_ok=True)
    assert r.manufacture["gwp"] == [0.0, 0.0, 0.0]
    assert any("battery repair: no cited adpe figure" in n for n in r.notes)


def test_repairs_of_a_bought_device_happen_at_mid_life_only_if_it_lasts(tmp_path):
    result = run(tmp_path, """
        horizon_years: 5
        country: FR
        options:
          - {id: a, category: laptop, lifetime_years: 4, repairs: [{part: battery, wh: 50}]}
    """)
    r = by_id(result, "a")
    # devices: 0-4 (repair at 2), 4-5 (serves 1 year < 2: no repair)
    assert [when for when, _ in r.repair_events] == [2.0]
    assert r.repairs["gwp"][0] == pytest.approx(50 * 0.074, nan_ok=True)


def test_usage_applies_unless_the_option_sets_it(tmp_path, library):
    result = run(tmp_path, """
        horizon_years: 1
        country: FR
        usage: {hours_per_day: 8, days_per_year: 200}
        options:
          - {id: a, category: laptop, power_w: 10}
          - {id: b, category: laptop, power_w: 10, hours_per_day: 4}
    """)
    a = engine({**LAPTOP}, library)
    b = engine({**LAPTOP, "hours_per_day": 4}, library)
    assert by_id(result, "a").total("energy")[0] == pytest.approx(a["energy_kwh_per_year"], nan_ok=True)
    assert by_id(result, "b").total("energy")[0] == pytest.approx(b["energy_kwh_per_year"], nan_ok=True)


def test_break_even_by_hand_and_shorter_on_a_dirtier_grid(library):
    path = EXAMPLES / "compare" / "server-keep-or-replace.yaml"
    spec = read_options(path)
    fr = compare(spec, today=TODAY)
    pl = compare(spec, country="PL", today=TODAY)
    keep, new = by_id(fr, "keep"), by_id(fr, "new")
    hand = new.first_embodied["gwp"][0] / (keep.use_per_year["gwp"][0] - new.use_per_year["gwp"][0])
    assert new.break_even_years == pytest.approx(hand, nan_ok=True)
    assert by_id(pl, "new").break_even_years < new.break_even_years
    assert keep.break_even_years is None and fr.reference == "keep"


def test_break_even_is_null_when_use_is_not_lower(tmp_path):
    result = run(tmp_path, """
        horizon_years: 5
        country: FR
        options:
          - {id: old, category: laptop, existing: true, power_w: 8}
          - {id: new, category: laptop, power_w: 12}
    """)
    assert by_id(result, "new").break_even_years is None


def test_one_new_option_over_its_lifetime_equals_assess_yearly_total_times_lifetime(tmp_path, library):
    from auditor.api import assess_table

    record = {"id": "m", "category": "monitor", "screen_size_in": 24, "hours_per_day": 8, "days_per_year": 220,
              "year": TODAY.year}
    table = table_from_records([record], country="FR", today=TODAY, library=library)
    results = assess_table(table, library=library, options=AssessOptions(today=TODAY))
    lifetime = float(results["lifetime_years"].iloc[0])
    comparison = run(tmp_path, f"""
        horizon_years: {lifetime}
        country: FR
        options:
          - {{id: m, category: monitor, screen_size_in: 24, hours_per_day: 8, days_per_year: 220}}
    """)
    r = by_id(comparison, "m")
    assert r.replacements == 0
    for c in ("energy", *CRITS):
        # the value: assess's yearly total x lifetime
        assert r.total(c)[0] == pytest.approx(float(results[total_column(c)].iloc[0]) * lifetime, rel=1e-9,
                                              nan_ok=True)
        if c == "energy":
            continue
        # the bounds: one device's embodied bound + its yearly use bound x lifetime (assess's yearly
        # bounds also spread the embodied part over the lifetime's own range, which a comparison over
        # a fixed horizon does not)
        for i, b in enumerate(("low", "high"), start=1):
            expected = (float(results[embodied_column(c, b)].iloc[0])
                        + float(results[use_column(c, b)].iloc[0]) * lifetime)
            assert r.total(c)[i] == pytest.approx(expected, rel=1e-9, nan_ok=True)


# -- properties ------------------------------------------------------------------------------------

def _two_grids(library) -> tuple[str, str]:
    """A clean and a dirty grid of the packaged electricity table (by their GHG factor)."""
    fr, pl = (library.electricity_factor(c, "gwp").value for c in ("FR", "PL"))
    assert fr < pl
    return "FR", "PL"


PROPERTY = settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])


@PROPERTY
@given(old_w=st.floats(20, 400), cut=st.floats(0.05, 0.95), life=st.floats(2, 10), horizon=st.floats(1, 12))
def test_dirtier_grid_never_lengthens_break_even(tmp_path, library, old_w, cut, life, horizon):
    clean, dirty = _two_grids(library)
    body = f"""
        horizon_years: {horizon}
        options:
          - {{id: old, category: desktop, existing: true, power_w: {old_w}}}
          - {{id: new, category: desktop, power_w: {old_w * cut}, lifetime_years: {life}}}
    """
    spec = read_options(options_file(tmp_path, body))
    a = by_id(compare(spec, country=clean, today=TODAY), "new").break_even_years
    b = by_id(compare(spec, country=dirty, today=TODAY), "new").break_even_years
    assert b is not None or a is None
    if a is not None:
        assert b <= a + 1e-9


@PROPERTY
@given(h1=st.floats(0.5, 20), extra=st.floats(0.01, 20), life=st.floats(1, 9), remaining=st.floats(0.5, 12),
       refurb=st.booleans())
def test_longer_horizon_never_lowers_a_total(tmp_path, h1, extra, life, remaining, refurb):
    body = f"""
        country: FR
        options:
          - {{id: keep, category: laptop, existing: true, lifetime_years: {remaining},
             repairs: [{{part: battery, wh: 40}}]}}
          - {{id: buy, category: laptop, refurbished: {str(refurb).lower()}, lifetime_years: {life},
             repairs: [{{part: storage, gb: 256}}]}}
    """
    spec = read_options(options_file(tmp_path, body))
    short = compare(spec, horizon_years=h1, today=TODAY)
    long = compare(spec, horizon_years=min(h1 + extra, 50), today=TODAY)
    for option in ("keep", "buy"):
        for c in ("energy", *CRITS):
            for i in range(3):
                longer, shorter = by_id(long, option).total(c)[i], by_id(short, option).total(c)[i]
                # a part without factors stays empty: the longer horizon holds every part of the
                # shorter one (and maybe a purchase whose embodied figure is unknown, e.g. pe)
                assert not np.isnan(shorter) or np.isnan(longer)
                assert np.isnan(longer) or longer >= shorter - 1e-9


@PROPERTY
@given(horizon=st.floats(0.5, 20), remaining=st.floats(0.5, 25), year=st.integers(2012, 2025))
def test_existing_option_never_carries_its_own_manufacture(tmp_path, horizon, remaining, year):
    body = f"""
        horizon_years: {horizon}
        country: FR
        options:
          - {{id: keep, category: desktop, existing: true, year: {year}, lifetime_years: {remaining}}}
          - {{id: buy, category: desktop, year: {TODAY.year}}}
    """
    result = compare(read_options(options_file(tmp_path, body)), today=TODAY)
    keep, buy = by_id(result, "keep"), by_id(result, "buy")
    if remaining >= horizon:
        assert all(keep.manufacture[c] == [0.0, 0.0, 0.0] for c in CRITS)
        assert keep.replacements == 0
    # it skips its first device, so it never carries more manufacture than buying now
    for c in CRITS:
        assert not keep.manufacture[c][0] > buy.manufacture[c][0] * (1 + 1e-9)  # NaN: no factor
        at_start = keep.cumulative(c, np.array([0.0]))[0]
        assert at_start == 0.0 or (np.isnan(at_start) and c in ("adpe", "pe"))  # no factor: empty


# -- command line ------------------------------------------------------------------------------------

def run_main(args, capsys):
    from auditor.cli import main

    code = main(args)
    captured = capsys.readouterr()
    return code, captured.out, captured.err


REQUIRED_KEYS = {"id", "label", "rank", "cost", "replacements", "break_even_years_vs_existing", "embodied_share",
                 *(f"{k}{s}" for k in ("gwp_kgco2e", "energy_kwh", "water_m3", "adpe_kgsbeq", "pe_mj")
                   for s in ("", "_low", "_high"))}


def test_cli_json_has_the_issue_keys_and_ranks(capsys):
    code, out, err = run_main(["compare", str(EXAMPLES / "compare" / "school-laptop.yaml"), "--format", "json",
                               "--date", TODAY.isoformat()], capsys)
    assert code == 0, err
    doc = json.loads(out)
    assert {"horizon_years", "country", "options"} <= set(doc)
    assert doc["horizon_years"] == 6 and doc["country"] == "FR"
    assert all(set(o) >= REQUIRED_KEYS for o in doc["options"])
    ranks = [o["rank"] for o in doc["options"]]
    assert ranks == sorted(ranks) == list(range(1, len(ranks) + 1))
    totals = [o["gwp_kgco2e"] for o in doc["options"]]
    assert totals == sorted(totals)


def test_cli_table_reads_at_a_glance(capsys):
    code, out, _ = run_main(["compare", str(EXAMPLES / "compare" / "monitors.yaml"), "--rank-by", "cost",
                             "--date", TODAY.isoformat()], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].startswith("Comparison over 5 years, electricity of FR, ranked by cost")
    body = [line for line in lines if line[:3].strip().isdigit()][:3]
    assert [line.split()[0] for line in body] == ["1", "2", "3"]
    assert "22-inch monitor" in body[0]  # cheapest first
    assert max(len(line) for line in lines[:8]) <= 120


def test_csv_options_file_one_option_per_row(tmp_path, capsys):
    path = tmp_path / "options.csv"
    path.write_text("id,label,category,existing,power_w,lifetime_years,price,repairs\n"
                    "keep,Keep,laptop,yes,15,4,,\"battery:wh=45,price=90\"\n"
                    "new,New,laptop,no,9,5,900,\n", encoding="utf-8")
    code, out, err = run_main(["compare", str(path), "--horizon", "4", "--country", "FR", "--format", "json",
                               "--date", TODAY.isoformat()], capsys)
    assert code == 0, err
    doc = {o["id"]: o for o in json.loads(out)["options"]}
    assert doc["keep"]["parts"]["repairs"]["gwp_kgco2e"] == pytest.approx(45 * 0.074, nan_ok=True)


@pytest.mark.parametrize(("body", "expected"), [
    ("options:\n  - {id: a, category: laptop, powr_w: 10}\n",
     ["option 'a' (line 5)", "field 'powr_w'", "did you mean 'power_w'"]),
    ("options:\n  - {id: a, power_w: 10}\n", ["option 'a' (line 5)", "field 'category'", "missing category"]),
    ("options:\n  - {id: a, category: laptop, lifetime_years: -2}\n",
     ["option 'a' (line 5)", "field 'lifetime_years'", "'-2'", "> 0"]),
    ("options:\n  - {id: a, category: laptop, price: -10}\n", ["option 'a' (line 5)", "field 'price'", ">= 0"]),
    ("options:\n  - {id: a, category: laptop\n  - {id: b}\n", ["line 6", "YAML syntax error"]),
    ("options:\n  - {id: a, category: laptop}\n  - {id: a, category: monitor}\n",
     ["option 'a' (line 6)", "field 'id'", "duplicate", "first at line 5"]),
    ("options:\n  - {id: a, category: laptop, repairs: [screen]}\n",
     ["option 'a' (line 5)", "field 'repairs.part'", "known parts: ram, storage, hdd, battery"]),
    ("options:\n  - {id: a, category: laptop, repairs: [battery]}\n", ["field 'repairs.wh'", "Wh of the new battery"]),
    ("options:\n  - {id: a, category: spaceship}\n", ["option 'a' (line 5)", "field 'category'", "spaceship"]),
    ("horizon: 3\noptions:\n  - {id: a, category: laptop}\n", ["line 3", "field 'horizon'",
                                                                  "did you mean 'horizon_years'"]),
])
def test_bad_options_exit_2_with_one_line(tmp_path, capsys, body, expected):
    path = tmp_path / "bad.yaml"
    # the first option is on line 5 (two settings, a blank line, 'options:')
    head = "country: FR\n\n" if body.startswith("horizon") else "horizon_years: 3\ncountry: FR\n\n"
    path.write_text(head + body, encoding="utf-8")
    code, out, err = run_main(["compare", str(path)], capsys)
    assert code == 2
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith(f"error: {path}")
    for text in expected:
        assert text in lines[0]


def test_no_horizon_or_country_is_an_error(tmp_path, capsys):
    path = options_file(tmp_path, "options:\n  - {id: a, category: laptop}\n")
    code, _, err = run_main(["compare", str(path), "--country", "FR"], capsys)
    assert code == 2 and "--horizon" in err
    code, _, err = run_main(["compare", str(path), "--horizon", "3"], capsys)
    assert code == 2 and "--country" in err


def test_page_is_written_and_refuses_to_overwrite_the_input(tmp_path, capsys):
    src = EXAMPLES / "compare" / "school-laptop.yaml"
    page = tmp_path / "page.html"
    code, out, err = run_main(["compare", str(src), "-o", str(page), "--lang", "fr", "--date", TODAY.isoformat()],
                              capsys)
    assert code == 0, err
    assert page.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    copy = tmp_path / "same.yaml"
    copy.write_text(src.read_text(encoding="utf-8"), encoding="utf-8")
    code, _, err = run_main(["compare", str(copy), "-o", str(copy)], capsys)
    assert code == 2 and "input" in err


def test_horizon_override_and_json_numbers_are_finite(capsys):
    code, out, _ = run_main(["compare", str(EXAMPLES / "compare" / "server-keep-or-replace.yaml"), "--horizon", "8",
                             "--country", "PL", "--format", "json", "--date", TODAY.isoformat()], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["horizon_years"] == 8 and doc["country"] == "PL"
    for option in doc["options"]:
        for key in REQUIRED_KEYS - {"id", "label", "break_even_years_vs_existing", "cost"}:
            if option[key] is None:  # a criterion with no shipped factor (licence gate) is null, never NaN
                assert key.startswith(("adpe", "pe_")), key
            else:
                assert isinstance(option[key], int | float) and math.isfinite(option[key])


@pytest.mark.parametrize(("field", "value"), [("year", "2099"), ("power_w", "-3"), ("country", "XX")])
def test_an_engine_field_refused_names_its_own_line(tmp_path, field, value):
    """Fields checked by the inventory engine (year, power, country...) name the line they are
    on, as the option fields do, not the line where the option starts."""
    from auditor.errors import OptionsError

    body = f"""\
        horizon_years: 5
        country: FR
        options:
          - id: a
            category: laptop
            {field}: {value}
        """
    with pytest.raises(OptionsError) as exc:
        run(tmp_path, body)
    assert "(line 6)" in str(exc.value) and f"'{field}'" in str(exc.value) and value in str(exc.value)


def test_ranking_by_a_criterion_no_option_has_says_so(tmp_path):
    """Laptops ship no ADPe factor: ranked by adpe, every total is unknown; the table says the order
    is the file's and shows '-' for the range (it printed '---')."""
    from auditor.compare import format_table

    body = """\
        horizon_years: 5
        country: FR
        options:
          - {id: a, category: laptop}
          - {id: b, category: laptop, refurbished: true}
        """
    text = format_table(run(tmp_path, body, rank_by="adpe"))
    rows = [line for line in text.splitlines() if line.startswith((" 1  ", " 2  "))][:2]
    assert len(rows) == 2 and not any("---" in line for line in rows), rows
    assert "no option has a adpe figure" in text
