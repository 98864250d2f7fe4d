"""Inventory agents' files (FusionInventory / OCS XML, GLPI-agent JSON) -> canonical rows.

Fixtures: ``tests/fixtures/agents/`` (hand-written from the published formats; their README gives
every hand calculation used below). The real part: ``fusioninventory-inventory`` (Debian package
``fusioninventory-agent``) run on this machine, a container or VM, so it must come out virtual.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess

import numpy as np
import pytest

from auditor.agent_rows import decode_edid, edid_facts
from auditor.agents import expand_inputs, is_agent_file, read_agent_file, read_agent_files
from auditor.errors import AgentFileError
from tests.conftest import ROOT, TODAY

FIXTURES = ROOT / "tests" / "fixtures" / "agents"
SCHEMA = ROOT / "tests" / "fixtures" / "glpi-inventory-format" / "inventory.schema.json"
#: The Dell P2419H's EDID in the laptop fixture (built as its README says).
DELL_EDID = (FIXTURES / "laptop-fusioninventory.xml").read_text(encoding="utf-8").split(
    "<BASE64>")[2].split("</BASE64>")[0]


class Run:
    def __init__(self, code: int, stdout: str, stderr: str) -> None:
        self.returncode, self.stdout, self.stderr = code, stdout, stderr


@pytest.fixture
def cli(capsys):
    """Run ``auditor ARGS`` in this process (as the console script does): exit code and output."""
    from auditor.cli import main

    def _run(*args: str) -> Run:
        capsys.readouterr()
        code = main(list(args))
        out = capsys.readouterr()
        return Run(code, out.out, out.err)

    return _run


def by_id(rows: list[dict]) -> dict[str, dict]:
    return {row["id"]: row for row in rows}


# --- the fixtures, row by row ---------------------------------------------------------------------

def test_edid_gives_maker_name_serial_year_and_diagonal():
    facts = edid_facts(decode_edid(DELL_EDID))
    assert (facts["maker"], facts["name"], facts["serial"]) == ("DEL", "DELL P2419H", "7MT0193A1B2L")
    assert facts["year"] == 2019
    assert (facts["width_cm"], facts["height_cm"]) == (53, 30)
    assert facts["diagonal_in"] == pytest.approx(23.977, abs=1e-3)  # sqrt(53^2+30^2)/2.54
    assert decode_edid("bm90IGFuIEVESUQ=") is None  # base64 of "not an EDID"


def test_laptop_fusioninventory():
    rows = read_agent_files([FIXTURES / "laptop-fusioninventory.xml"]).rows
    laptop, *monitors = rows
    assert laptop["category"] == "laptop" and laptop["virtual"] == "no"
    assert laptop["battery_health_pct"] == "81.0"  # 42930 / 53000 mWh
    assert laptop["ram_gb"] == "16384 MB"  # two 8192 MB modules
    assert (laptop["ssd_count"], laptop["ssd_gb"]) == ("1", "512110 MB")  # the USB stick left out
    assert laptop["hdd_count"] is None and laptop["storage_gb"] is None
    assert (laptop["cpu_count"], laptop["cpu_cores"], laptop["cpu_threads"]) == ("1", "4", "8")
    assert laptop["year"] == "2021" and "BIOS date" in laptop["warnings"]
    assert "1 built-in screen" in laptop["warnings"]
    assert (laptop["source"], laptop["agent_file"]) == ("agent", "laptop-fusioninventory.xml")
    # the LG Display panel is the laptop's own; the Dell listed twice is one monitor
    assert len(monitors) == 1
    dell = monitors[0]
    assert (dell["category"], dell["model"], dell["serial_number"]) == ("monitor", "DELL P2419H", "7MT0193A1B2L")
    assert (dell["screen_size_in"], dell["year"]) == ("24.0", "2019")
    assert dell["hostname"] == "pc-mairie-042" and dell["id"] == "pc-mairie-042-monitor-1"


def test_desktop_ocs_latin1_unknown_drive_and_monitor_without_edid():
    rows = by_id(read_agent_files([FIXTURES / "desktop-ocs.xml"]).rows)
    desktop = rows["PC-COMPTA-07"]
    assert desktop["category"] == "desktop" and desktop["os"] == "Microsoft Windows 10 Professionnel"
    assert desktop["ram_gb"] == "8192 MB"  # 4096 + 4096, the empty slot counts for nothing
    assert (desktop["ssd_count"], desktop["ssd_gb"]) == ("1", "500105 MB")  # named SSD
    assert desktop["storage_gb"] == "1500307 MB"  # 500105 + 1000202: the Seagate's type is unknown
    assert "neither named SSD nor HDD" in desktop["warnings"]
    iiyama = rows["PC-COMPTA-07-monitor-1"]
    assert (iiyama["screen_size_in"], iiyama["year"]) == ("21.7", "2016")  # EDID: 48 x 27 cm, 1990+26
    generic = rows["PC-COMPTA-07-monitor-2"]
    assert generic["model"] == "Écran générique PnP" and generic["screen_size_in"] is None
    assert "not in the EDID" in generic["warnings"]


def test_server_glpi_agent_json():
    server = read_agent_files([FIXTURES / "server-glpi-agent.json"]).rows[0]
    assert server["category"] == "server"  # Rack Mount Chassis
    assert (server["cpu_count"], server["cpu_cores"], server["cpu_threads"]) == ("2", "24", "48")
    assert server["ram_gb"] == "196608 MB"  # 12 x 16384
    assert (server["ssd_count"], server["ssd_gb"], server["hdd_count"], server["hdd_gb"]) == (
        "2", "480103 MB", "4", "4000787 MB")
    assert server["os"] == "Microsoft Windows Server 2019 Standard" and server["year"] == "2019"


def test_laptop_glpi_agent_json_battery_and_monitors():
    laptop, *monitors = read_agent_files([FIXTURES / "laptop-glpi-agent.json"]).rows
    assert laptop["category"] == "laptop" and laptop["battery_health_pct"] == "76.0"  # 39900 / 52500
    assert laptop["ram_gb"] == "32768 MB" and (laptop["ssd_count"], laptop["ssd_gb"]) == ("1", "512110 MB")
    assert laptop["os"] == "Microsoft Windows 11 Professionnel" and laptop["os_version"] == "23H2"
    # the BOE panel on eDP-1 is the laptop's own screen; the iiyama on HDMI-1 is a monitor
    assert [m["model"] for m in monitors] == ["PL2283H"]
    assert (monitors[0]["screen_size_in"], monitors[0]["year"]) == ("21.7", "2016")


def test_json_fixtures_follow_the_published_schema():
    jsonschema = pytest.importorskip("jsonschema") if not os.environ.get("CI") else __import__("jsonschema")
    schema = json.loads(SCHEMA.read_text(encoding="utf-8"))
    for name in ("laptop-glpi-agent.json", "server-glpi-agent.json", "vm-glpi-agent.json"):
        jsonschema.validate(json.loads((FIXTURES / name).read_text(encoding="utf-8")), schema)
    broken = json.loads((FIXTURES / "vm-glpi-agent.json").read_text(encoding="utf-8"))
    broken["content"]["hardware"]["memory"] = "8 GB"  # the schema says integer: it must refuse
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(broken, schema)


def test_virtual_machine_is_kept_apart_and_gets_no_footprint_of_its_own(library):
    from auditor.footprint import AssessOptions, assess
    from auditor.inventory import read_inventory

    vm = read_agent_files([FIXTURES / "vm-glpi-agent.json"]).rows
    assert len(vm) == 1  # its VMware display is not a monitor
    assert (vm[0]["virtual"], vm[0]["category"]) == ("yes", "server")
    table, _ = read_inventory([FIXTURES], country="FR", today=TODAY, library=library)
    results = assess(table, library, AssessOptions(today=TODAY))
    row = results.loc[results["id"] == "srv-web-01"].iloc[0]
    assert row["gwp_embodied_kgco2e"] == 0 and row["energy_kwh_per_year"] == 0
    assert "physical host" in row["warnings"]
    physical = results.loc[results["id"] == "srv-hyperv-01"].iloc[0]
    assert physical["gwp_embodied_kgco2e"] > 0 and physical["energy_kwh_per_year"] > 0


# --- one-step assess and the importer's validation --------------------------------------------------

def test_folder_of_agent_files_is_an_inventory(library, write):
    from auditor.inventory import read_inventory

    extra = write("extra.csv", "category;name;quantity\nprinter;copieur RDC;1\n")
    table, messages = read_inventory([FIXTURES, extra], country="FR", today=TODAY, library=library)
    agents = table.loc[table["source"] == "agent"]
    assert len(agents) == 9  # 5 hosts + 4 monitors (fixtures README)
    assert set(agents["_file"]) == {p.name for p in FIXTURES.glob("*.*") if p.suffix in (".xml", ".json")}
    laptop = table.loc[table["id"] == "pc-mairie-042"].iloc[0]
    assert laptop["ram_gb"] == 16.0 and laptop["ssd_gb"] == pytest.approx(512.11)  # MB -> GB
    assert laptop["battery_health_pct"] == pytest.approx(81.0) and laptop["year"] == 2021
    assert "BIOS date" in laptop["warnings"]
    monitor = table.loc[table["id"] == "pc-mairie-042-monitor-1"].iloc[0]
    assert monitor["category"] == "monitor" and monitor["screen_size_in"] == pytest.approx(24.0)
    assert table.loc[table["name"] == "copieur RDC", "_file"].iloc[0] == str(extra)
    desktop = table.loc[table["id"] == "PC-COMPTA-07"].iloc[0]
    assert desktop["storage_gb"] == pytest.approx(1500.307)
    assert np.isnan(table.loc[table["id"] == "PC-COMPTA-07-monitor-2", "screen_size_in"].iloc[0])


def test_assess_a_folder_in_one_step(tmp_path, cli):
    run = cli("assess", str(FIXTURES), "--country", "FR", "-q", "-o", str(tmp_path / "r.csv"))
    assert run.returncode == 0, run.stderr
    assert "Assessed 9 inventory rows" in run.stdout


def test_expand_inputs_groups_agent_files_and_keeps_others(write):
    csv = write("parc.csv", "category\nlaptop\n")
    out = expand_inputs([csv, FIXTURES / "desktop-ocs.xml", FIXTURES])
    assert out[0] == csv and len(out) == 2 and len(out[1]) == 6  # the file, then the folder's 5
    assert is_agent_file(FIXTURES / "server-glpi-agent.json") and not is_agent_file(csv)


# --- the same machine seen twice -------------------------------------------------------------------

def test_same_machine_twice_keeps_the_latest_inventory(tmp_path):
    text = (FIXTURES / "laptop-fusioninventory.xml").read_text(encoding="utf-8")
    older = text.replace("2025-11-03 09:12:44", "2024-01-05 10:00:00").replace(
        "<REAL_CAPACITY>42930", "<REAL_CAPACITY>50350")  # 95.0 % a year earlier
    (tmp_path / "b-old.xml").write_text(older, encoding="utf-8")
    shutil.copy(FIXTURES / "laptop-fusioninventory.xml", tmp_path / "a-new.xml")
    read = read_agent_files(sorted(tmp_path.iterdir()))
    hosts = [r for r in read.rows if r["category"] == "laptop"]
    assert len(hosts) == 1 and hosts[0]["agent_file"] == "a-new.xml"
    assert hosts[0]["battery_health_pct"] == "81.0"
    assert any("b-old.xml" in n and "replaced" in n for n in read.notes)


def test_without_a_date_the_file_time_decides(tmp_path):
    text = (FIXTURES / "desktop-ocs.xml").read_bytes()  # no ACCESSLOG
    (tmp_path / "x.xml").write_bytes(text.replace(b"i5-8500 CPU", b"i5-8500T CPU"))
    (tmp_path / "y.xml").write_bytes(text)
    os.utime(tmp_path / "x.xml", (2_000_000_000, 2_000_000_000))  # 2033: newer
    os.utime(tmp_path / "y.xml", (1_700_000_000, 1_700_000_000))
    rows = read_agent_files([tmp_path / "y.xml", tmp_path / "x.xml"]).rows
    assert rows[0]["agent_file"] == "x.xml" and "i5-8500T" in rows[0]["cpu_model"]


# --- bad input: one line naming the file, never a hang ---------------------------------------------

BOMB = """<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
<!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]>
<REQUEST><CONTENT><HARDWARE><NAME>&lol9;</NAME></HARDWARE></CONTENT></REQUEST>
"""
EXTERNAL = """<?xml version="1.0"?>
<!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]>
<REQUEST><CONTENT><HARDWARE><NAME>&x;</NAME></HARDWARE></CONTENT></REQUEST>
"""


@pytest.mark.parametrize(("name", "content", "expected"), [
    ("bomb.xml", BOMB, "DOCTYPE or ENTITY declaration is refused"),
    ("external.xml", EXTERNAL, "DOCTYPE or ENTITY declaration is refused"),
    ("cut.xml", "<?xml version='1.0'?>\n<REQUEST><CONTENT><HARDWARE><NAME>pc</NAME>", "malformed XML"),
    ("page.xml", "<?xml version='1.0'?><html><body>REQUEST</body></html>", "not an agent inventory"),
    ("reply.xml", "<?xml version='1.0'?><REQUEST><DEVICEID>x</DEVICEID><QUERY>PROLOG</QUERY></REQUEST>",
     "no <CONTENT>"),
    ("empty.xml", "<?xml version='1.0'?><REQUEST><CONTENT></CONTENT><QUERY>INVENTORY</QUERY></REQUEST>",
     "no host name, serial number or UUID"),
    ("bad.json", '{"content": {"hardware": {"name": "pc"}', "malformed JSON at line 1"),
    ("list.json", '[{"content": 1}]', "not an agent inventory"),
    ("printer.json", '{"content": {"hardware": {"name": "p"}}, "itemtype": "Printer"}', "only computer"),
    ("words.xml", "<?xml version='1.0'?><REQUEST><CONTENT><HARDWARE><NAME>pc</NAME></HARDWARE>"
     "<MEMORIES><CAPACITY>lots</CAPACITY></MEMORIES></CONTENT></REQUEST>", "MEMORIES[1]/CAPACITY"),
])
def test_bad_agent_files_name_the_file(write, name, content, expected):
    path = write(name, content)
    with pytest.raises(AgentFileError) as info:
        read_agent_file(path)
    message = str(info.value)
    assert message.startswith(str(path)) and expected in message and "\n" not in message


def test_utf16_and_huge_files_are_refused_without_reading_them(tmp_path):
    utf16 = tmp_path / "w.xml"
    utf16.write_bytes("<?xml version='1.0' encoding='UTF-16'?><REQUEST/>".encode("utf-16"))
    with pytest.raises(AgentFileError, match="UTF-16"):
        read_agent_file(utf16)
    huge = tmp_path / "huge.xml"
    with huge.open("wb") as handle:  # sparse: 65 MB on paper, nothing on disk
        handle.write(b"<?xml version='1.0'?><REQUEST><CONTENT>")
        handle.truncate(65 * 1024 * 1024)
    with pytest.raises(AgentFileError, match="larger than the 67 MB"):
        read_agent_file(huge)


def test_zlib_bomb_ocs_file_is_refused(tmp_path):
    import zlib

    bomb = tmp_path / "pc.ocs"  # 100 MB of spaces inside a valid start, compressed to ~100 kB
    bomb.write_bytes(zlib.compress(b"<?xml version='1.0'?><REQUEST><CONTENT>" + b" " * 100_000_000, 9))
    with pytest.raises(AgentFileError, match="decompresses to more than"):
        read_agent_file(bomb)
    good = tmp_path / "good.ocs"
    good.write_bytes(zlib.compress((FIXTURES / "laptop-fusioninventory.xml").read_bytes()))
    assert read_agent_file(good).rows[0]["battery_health_pct"] == "81.0"


def test_cli_ingest_bad_file_exit_2_one_line_and_keep_going(tmp_path, cli):
    folder = tmp_path / "agents"
    shutil.copytree(FIXTURES, folder)
    (folder / "zz-bomb.xml").write_text(BOMB, encoding="utf-8")
    run = cli("ingest", "--agent", str(folder), "-o", str(tmp_path / "inv.csv"))
    assert run.returncode == 2
    assert run.stderr.strip().splitlines() == [
        f"error: {folder / 'zz-bomb.xml'}: XML with a DOCTYPE or ENTITY declaration is refused "
        "(entity expansion); agent inventories have none"]
    assert not (tmp_path / "inv.csv").exists()
    run = cli("ingest", "--agent", str(folder), "-o", str(tmp_path / "inv.csv"), "--keep-going")
    assert run.returncode == 2
    assert "Read 5 of 6 agent file(s): 5 host(s) (1 virtual), 4 monitor(s)" in run.stdout
    assert run.stderr.strip().splitlines()[-2:] == [
        f"not read: {folder / 'zz-bomb.xml'}: XML with a DOCTYPE or ENTITY declaration is refused "
        "(entity expansion); agent inventories have none",
        "error: 1 agent file(s) could not be read (listed above)"]
    import pandas as pd

    written = pd.read_csv(tmp_path / "inv.csv", dtype=str)
    assert len(written) == 9 and set(written["source"]) == {"agent"}
    # the written file is an inventory like any other
    again = cli("assess", str(tmp_path / "inv.csv"), "--country", "FR", "-q")
    assert again.returncode == 0, again.stderr


def test_cli_ingest_refuses_to_write_over_an_input_and_needs_a_mode(tmp_path, cli):
    target = tmp_path / "pc.xml"
    shutil.copy(FIXTURES / "laptop-fusioninventory.xml", target)
    run = cli("ingest", "--agent", str(target), "-o", str(target))
    assert run.returncode == 2 and "is one of the input files" in run.stderr
    assert target.read_bytes() == (FIXTURES / "laptop-fusioninventory.xml").read_bytes()
    run = cli("ingest", "--agent", str(tmp_path), "-o", str(tmp_path / "out.json"))
    assert run.returncode == 2 and "inside the input folder" in run.stderr
    run = cli("ingest", str(target))
    assert run.returncode == 2 and "give either --prometheus URL or --agent" in run.stderr


# --- the real agent on this machine ---------------------------------------------------------------

def test_real_fusioninventory_inventory_of_this_machine_is_virtual(tmp_path, cli):
    binary = shutil.which("fusioninventory-inventory")
    if binary is None:
        if os.environ.get("CI"):
            pytest.fail("fusioninventory-inventory is missing in CI (apt-get install fusioninventory-agent)")
        pytest.skip("fusioninventory-inventory not installed")
    out = tmp_path / "this-host.xml"
    with out.open("wb") as handle:
        subprocess.run([binary], stdout=handle, stderr=subprocess.DEVNULL, timeout=300, check=True)
    assert out.stat().st_size > 1000
    host = read_agent_file(out)
    row = host.rows[0]
    # CI runners and this sandbox are containers or VMs: the agent's VMSYSTEM says which
    assert row["virtual"] == "yes", row["warnings"]
    assert row["category"] == "server" and row["cpu_model"]
    assert host.logdate  # ACCESSLOG/LOGDATE is always written
    run = cli("ingest", "--agent", str(out), "-o", str(tmp_path / "inv.csv"))
    assert run.returncode == 0, run.stderr
    assert "(1 virtual)" in run.stdout


def test_many_files_in_a_pool_of_processes_give_the_serial_rows(tmp_path):
    from auditor.agents import PARALLEL_FROM

    text = (FIXTURES / "laptop-fusioninventory.xml").read_text(encoding="utf-8")
    for k in range(PARALLEL_FROM + 6):
        machine = text.replace("pc-mairie-042</NAME>", f"pc-{k:03d}</NAME>").replace(
            "7f1c2b4e-0a1d-4c55-9a77-3c2e5d6f7a81", f"uuid-{k:03d}").replace(
            "7MT0193A1B2L", f"7MT{k:05d}")  # each PC its own monitor (one monitor is counted once)
        (tmp_path / f"pc-{k:03d}.xml").write_text(machine, encoding="utf-8")
    (tmp_path / "zz-cut.xml").write_text(text[: len(text) // 2], encoding="utf-8")  # cut short
    files = sorted(tmp_path.iterdir())
    pooled = read_agent_files(files, workers=2, keep_going=True)
    serial = read_agent_files(files, workers=1, keep_going=True)
    assert pooled.rows == serial.rows and len(pooled.rows) == 2 * (PARALLEL_FROM + 6)
    assert len(pooled.failures) == 1 and "zz-cut.xml" in pooled.failures[0]
    with pytest.raises(AgentFileError, match="zz-cut.xml.*malformed XML"):
        read_agent_files(files, workers=2)


def test_other_files_in_a_folder_are_named_in_a_note(tmp_path, library, cli):
    from auditor.inventory import read_inventory

    shutil.copy(FIXTURES / "desktop-ocs.xml", tmp_path / "pc.xml")
    (tmp_path / "notes.txt").write_text("not an inventory", encoding="utf-8")
    table, messages = read_inventory([tmp_path], country="FR", today=TODAY, library=library)
    assert len(table) == 3 and any("notes.txt" in m and "not read" in m for m in messages)
    run = cli("ingest", "--agent", str(tmp_path), "-o", str(tmp_path / "out.csv"))
    assert run.returncode == 0 and "note: 1 file(s) in the folders not read" in run.stderr


def test_impossible_battery_and_edid_year_are_dropped_with_a_note(tmp_path):
    text = (FIXTURES / "laptop-fusioninventory.xml").read_text(encoding="utf-8")
    # real capacity in mWh x 10 (a firmware error): 429300 / 53000 = 810 %
    broken = text.replace("<REAL_CAPACITY>42930", "<REAL_CAPACITY>429300").replace(
        "<DESCRIPTION>12/2019</DESCRIPTION>", "<DESCRIPTION>12/2245</DESCRIPTION>")
    (tmp_path / "pc.xml").write_text(broken, encoding="utf-8")
    laptop, dell = read_agent_files([tmp_path / "pc.xml"]).rows
    assert laptop["battery_health_pct"] is None and "810 % of design; ignored" in laptop["warnings"]
    assert dell["year"] == "2019"  # 2245 is no year of manufacture: the EDID's 2019 is used


def test_export_and_recommend_accept_a_folder_of_agent_files(tmp_path, cli):
    run = cli("export", str(FIXTURES), "--country", "FR", "-q", "-o", str(tmp_path / "r.csv"))
    assert run.returncode == 0, run.stderr
    assert "(9 rows)" in run.stdout


def test_a_virtual_row_keeps_its_declared_energy_but_no_embodied(library):
    from auditor.footprint import AssessOptions, assess
    from auditor.inventory import table_from_records

    table = table_from_records([
        {"id": "vm-a", "category": "server", "virtual": "oui", "energy_kwh_per_year": 100},
        {"id": "vm-b", "category": "server", "virtual": "yes"},
        {"id": "host", "category": "server", "virtual": "non"},
    ], country="FR", today=TODAY, library=library)
    results = assess(table, library, AssessOptions(today=TODAY)).set_index("id")
    # declared: kept (times the server room's PUE, as for any server row)
    assert results.loc["vm-a", "energy_kwh_per_year"] == pytest.approx(100 * results.loc["vm-a", "pue"])
    assert results.loc["vm-a", "pue"] > 1
    assert results.loc["vm-b", "energy_kwh_per_year"] == 0
    for criterion, unit in (("gwp", "kgco2e"), ("water", "m3"), ("adpe", "kgsbeq"), ("pe", "mj")):
        assert (results.loc[["vm-a", "vm-b"], f"{criterion}_embodied_{unit}"] == 0).all()
        assert results.loc["host", f"{criterion}_embodied_{unit}"] > 0


def test_ingest_without_output_writes_csv_to_stdout(cli):
    run = cli("ingest", "--agent", str(FIXTURES / "vm-glpi-agent.json"))
    assert run.returncode == 0, run.stderr
    lines = run.stdout.strip().splitlines()
    assert lines[0].startswith("id,name,category,") and lines[1].startswith("srv-web-01,srv-web-01,server,")
    assert "Read 1 of 1 agent file(s): 1 host(s) (1 virtual), 0 monitor(s)" in run.stderr


def test_tags_inside_comments_and_cdata_are_text_not_sections(tmp_path):
    text = (FIXTURES / "laptop-fusioninventory.xml").read_text(encoding="utf-8")
    tricky = text.replace(
        "<NAME>firefox</NAME>",
        "<NAME><![CDATA[<BATTERIES><CAPACITY>1</CAPACITY><REAL_CAPACITY>1</REAL_CAPACITY>"
        "</BATTERIES><MONITORS><x></MONITORS>]]></NAME><!-- <BIOS><TYPE>Rack Mount Chassis</TYPE></BIOS> -->")
    (tmp_path / "pc.xml").write_text(tricky, encoding="utf-8")
    laptop, *monitors = read_agent_files([tmp_path / "pc.xml"]).rows
    assert laptop["category"] == "laptop" and laptop["battery_health_pct"] == "81.0"
    assert len(monitors) == 1


def test_a_monitor_seen_by_two_hosts_counts_once_on_the_later_inventory(tmp_path):
    """A monitor moved from one PC to another between inventories is in both PCs' files (same
    maker, model and EDID serial): one monitor, on the PC inventoried last, and a note on the other."""
    text = (FIXTURES / "laptop-fusioninventory.xml").read_text(encoding="utf-8")
    old = tmp_path / "old.xml"
    old.write_text(text, encoding="utf-8")
    new = tmp_path / "new.xml"
    new.write_text(text.replace("7f1c2b4e-0a1d-4c55-9a77-3c2e5d6f7a81", "11111111-2222-3333-4444-555555555555")
                   .replace("5CG1234ABC", "5CG9999XYZ").replace("pc-mairie-042", "pc-mairie-077")
                   .replace("2025-11-03 09:12:44", "2026-01-10 08:00:00"), encoding="utf-8")
    read = read_agent_files([old, new])
    monitors = [r for r in read.rows if r["category"] == "monitor"]
    assert len(monitors) == 1 and monitors[0]["id"].startswith("pc-mairie-077")
    assert any("old.xml" in n and "7MT0193A1B2L" in n and "new.xml" in n for n in read.notes)
    assert len([r for r in read.rows if r["category"] == "laptop"]) == 2  # both PCs stay


def test_placeholder_monitor_serials_are_not_taken_as_the_same_monitor(tmp_path):
    text = (FIXTURES / "laptop-fusioninventory.xml").read_text(encoding="utf-8").replace("7MT0193A1B2L", "16843009")
    (tmp_path / "a.xml").write_text(text, encoding="utf-8")
    (tmp_path / "b.xml").write_text(text.replace("7f1c2b4e-0a1d-4c55-9a77-3c2e5d6f7a81", "1-2-3")
                                    .replace("5CG1234ABC", "5CG9999XYZ"), encoding="utf-8")
    read = read_agent_files([tmp_path / "a.xml", tmp_path / "b.xml"])
    assert len([r for r in read.rows if r["category"] == "monitor"]) == 2
