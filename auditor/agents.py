"""Read the files inventory agents write: FusionInventory / OCS XML, GLPI-agent JSON.

Many cities run an inventory agent on every PC and server (FusionInventory, its successor the GLPI
agent, or the OCS Inventory agent); each writes one complete hardware inventory per host. This
module turns files and folders of them into canonical inventory rows (one per host, one per
attached monitor: see :mod:`auditor.agent_rows`), for ``auditor ingest --agent`` and for
``auditor assess`` (a folder of agent files is an inventory like a spreadsheet).

Safety. Agent files come from the audited machines, so they are read as untrusted input:

- XML: no DTD at all (so no entity expansion, no external entity, no "billion laughs"): a
  ``<!DOCTYPE`` or ``<!ENTITY`` anywhere is refused before the parser sees it; UTF-16/32 files
  are refused (the check would not see the declaration); the parser is fed in chunks and the
  sections not used (software lists, processes...) are dropped as soon as they are complete, so
  memory stays bounded whatever the file size.
- Every file is refused above :data:`MAX_FILE_BYTES`; a zlib-compressed ``.ocs`` file is
  decompressed to at most that size.
- JSON: the standard parser (no code, no references); nesting too deep is an error.

The same machine seen in several files (hardware UUID, else serial number, else host name) keeps
the latest inventory: the agent's own date (``ACCESSLOG/LOGDATE``), else the file's mtime.
"""

from __future__ import annotations

import json
import os
import re
import zlib
from collections.abc import Callable, Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree import ElementTree
from xml.parsers import expat

from auditor.agent_rows import AgentHost, host_rows
from auditor.errors import AgentFileError, InventoryError

#: Largest agent file read [bytes] (real ones are 0.1 to 3 MB; 64 MiB is far beyond any).
MAX_FILE_BYTES = 64 * 1024 * 1024
#: File name endings looked for in folders.
AGENT_SUFFIXES = (".xml", ".ocs", ".json")
#: Sections of ``<CONTENT>`` that rows are made from; all others are dropped unread.
SECTIONS = frozenset({"ACCESSLOG", "BIOS", "HARDWARE", "OPERATINGSYSTEM", "CPUS", "MEMORIES",
                      "STORAGES", "BATTERIES", "MONITORS"})
#: Columns of the rows, in the order they are written.
ROW_COLUMNS = (
    "id", "name", "category", "manufacturer", "model", "serial_number", "quantity", "year",
    "screen_size_in", "cpu_model", "cpu_count", "cpu_cores", "cpu_threads", "ram_gb", "ssd_count",
    "ssd_gb", "hdd_count", "hdd_gb", "storage_gb", "battery_health_pct", "os", "os_version",
    "hostname", "virtual", "source", "agent_file", "warnings",
)
_CHUNK = 1 << 20
_ROOT = re.compile(rb"<([A-Za-z_][\w.-]*)[\s>/]")
_QUERY = re.compile(rb"<QUERY>([^<]*)</QUERY>")
_ENCODING = re.compile(rb"""encoding\s*=\s*["']([A-Za-z0-9._-]+)["']""")
#: Files at least this many are read by a pool of processes (one per core).
PARALLEL_FROM = 64


class AgentFiles(list):
    """Agent inventory files to be read together (duplicates of a host resolved across them).

    ``skipped`` lists the other files found in the folders (not read, said in a note).
    """

    skipped: list[Path]


def is_agent_file(path: Path | str) -> bool:
    """Whether a file looks like an agent inventory (its first bytes; the full check is reading it)."""
    path = Path(path)
    try:
        if not path.is_file():
            return False
        with path.open("rb") as handle:
            head = handle.read(4096)
    except OSError:
        return False
    return _looks_like_agent(head, path.suffix.lower())


def _looks_like_agent(head: bytes, suffix: str) -> bool:
    start = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if suffix == ".ocs" and start[:1] == b"\x78":
        return True  # zlib stream: what the OCS agent writes with --local
    if start.startswith(b"<"):
        return b"<REQUEST" in head
    if start.startswith(b"{"):
        return b'"content"' in head or b'"deviceid"' in head
    return False


def expand_inputs(paths: Iterable[Path | str]) -> list:
    """Inventory inputs with folders and agent files gathered into one :class:`AgentFiles`.

    A folder stands for every ``.xml``, ``.ocs`` and ``.json`` file under it (sorted); a file that
    looks like an agent inventory joins them; other files are returned as they are, in order.
    The :class:`AgentFiles` list takes the place of the first agent input.
    """
    out: list = []
    agents = AgentFiles()
    agents.skipped = []
    for path in paths:
        path = Path(path)
        if path.is_dir():
            found = agent_files_in(path, agents.skipped)
            if not found:
                raise InventoryError("folder without agent inventory files (.xml, .ocs, .json)",
                                     file=str(path))
            agents.extend(found)
        elif is_agent_file(path):
            agents.append(path)
        else:
            out.append(path)
            continue
        if not any(item is agents for item in out):
            out.append(agents)
    return out


def agent_files_in(folder: Path, skipped: list[Path] | None = None) -> list[Path]:
    """Regular files with an agent suffix under ``folder`` (recursively, sorted, hidden ones skipped).

    Other files found are appended to ``skipped`` when given.
    """
    found = []
    for root, dirs, names in os.walk(folder):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            if name.startswith("."):
                continue
            if not name.lower().endswith(AGENT_SUFFIXES):
                if skipped is not None:
                    skipped.append(Path(root, name))
                continue
            path = Path(root, name)
            if path.is_file():
                found.append(path)
    return found


# --- one file -------------------------------------------------------------------------------------

def read_sections(path: Path | str, max_bytes: int = MAX_FILE_BYTES) -> dict[str, list[dict]]:
    """The used sections of one agent file, keys in lower case (see :mod:`auditor.agent_rows`)."""
    path = Path(path)
    shown = str(path)
    try:
        size = path.stat().st_size
        if size > max_bytes:
            raise AgentFileError(f"file of {size / 1e6:.0f} MB is larger than the "
                                 f"{max_bytes / 1e6:.0f} MB an agent inventory can be", file=shown)
        with path.open("rb") as handle:
            head = handle.read(4096)
            if head[:2] in (b"\xff\xfe", b"\xfe\xff") or (b"\x00" in head[:512] and head[:1] != b"\x78"):
                raise AgentFileError("UTF-16 or UTF-32 text is not read; expected UTF-8 (as agents "
                                     "write)", file=shown)
            if not _looks_like_agent(head, path.suffix.lower()):
                raise AgentFileError("not an agent inventory; expected FusionInventory/OCS XML "
                                     "(<REQUEST><CONTENT>) or GLPI-agent JSON ({\"content\": ...})",
                                     file=shown)
            start = head.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
            if start == b"\x78":
                return _xml_sections(_inflate(head + handle.read(), shown, max_bytes), shown)
            if start == b"{":
                return _json_sections(head + handle.read(), shown)
            return _xml_sections(_chunks(head, handle), shown)
    except OSError as exc:
        raise AgentFileError(f"cannot read file ({exc.strerror or exc})", file=shown) from None


def _chunks(head: bytes, handle) -> Iterable[bytes]:
    yield head
    while chunk := handle.read(_CHUNK):
        yield chunk


def _inflate(data: bytes, shown: str, max_bytes: int) -> Iterable[bytes]:
    inflater = zlib.decompressobj()
    try:
        out = inflater.decompress(data, max_bytes)
    except zlib.error as exc:
        raise AgentFileError(f"corrupt compressed OCS file ({exc})", file=shown) from None
    if inflater.unconsumed_tail:
        raise AgentFileError(f"decompresses to more than {max_bytes / 1e6:.0f} MB", file=shown)
    yield out


def _xml_sections(chunks: Iterable[bytes], shown: str) -> dict[str, list[dict]]:
    """Check a whole ``<REQUEST><CONTENT>`` document, then parse only the :data:`SECTIONS`.

    Pass 1: expat reads every byte (well-formedness) with no handler but those that refuse a DTD,
    so nothing is expanded and no tree is built. Pass 2: each wanted section, a few kB, is cut out
    and parsed alone (software lists and processes, most of the file, are never parsed twice).
    """
    parser = expat.ParserCreate()
    parser.StartDoctypeDeclHandler = _refuse_dtd
    parser.EntityDeclHandler = _refuse_dtd
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    parts: list[bytes] = []
    try:
        for chunk in chunks:
            parser.Parse(chunk, False)
            parts.append(chunk)
        parser.Parse(b"", True)
    except _DtdRefused:
        raise AgentFileError("XML with a DOCTYPE or ENTITY declaration is refused (entity "
                             "expansion); agent inventories have none", file=shown) from None
    except expat.ExpatError as exc:
        raise AgentFileError(f"malformed XML ({expat.errors.messages[exc.code]}: line {exc.lineno}, "
                             f"column {exc.offset + 1})", file=shown) from None
    data = b"".join(parts)
    if b"<!--" in data or b"<![CDATA[" in data:  # text that may hold tags: parse it all, properly
        return _sections_from_tree(data, shown)
    root = _ROOT.search(data)
    if root is None or root.group(1) != b"REQUEST":
        raise AgentFileError("not an agent inventory; expected <REQUEST> as the root", file=shown,
                             element=root.group(1).decode("ascii", "replace") if root else None)
    content = data.find(b"<CONTENT>")
    if content < 0:
        raise AgentFileError("no <CONTENT> in <REQUEST>; not an inventory (a PROLOG or a reply?)",
                             file=shown, element="REQUEST")
    query = _QUERY.search(data)
    if query and query.group(1).strip().upper() != b"INVENTORY":
        raise AgentFileError("expected an INVENTORY query", file=shown, element="REQUEST/QUERY",
                             value=query.group(1).decode("utf-8", "replace"))
    declared = _ENCODING.search(data[:200])
    encoding = declared.group(1).decode("ascii").lower() if declared else "utf-8"
    sections: dict[str, list[dict]] = {}
    for tag in SECTIONS:
        opening, closing = f"<{tag}>".encode(), f"</{tag}>".encode()
        start = data.find(opening, content)
        while start >= 0:
            end = data.find(closing, start)
            if end < 0:  # pragma: no cover - expat has checked every element is closed
                break
            end += len(closing)
            part = data[start:end]
            try:
                element = ElementTree.fromstring(part if encoding in ("utf-8", "utf8") else part.decode(encoding))
            except (ElementTree.ParseError, LookupError, UnicodeDecodeError) as exc:
                raise AgentFileError(f"unreadable section ({exc})", file=shown,
                                     element=f"REQUEST/CONTENT/{tag}") from None
            sections.setdefault(tag.lower(), []).append({child.tag.lower(): child.text for child in element})
            start = data.find(opening, end)
    return sections


def _sections_from_tree(data: bytes, shown: str) -> dict[str, list[dict]]:
    """The slow, exact way (comments or CDATA present): one tree of the whole document.

    Safe because the expat pass has already refused any DTD, so nothing can expand.
    """
    root = ElementTree.fromstring(data)
    if root.tag != "REQUEST":
        raise AgentFileError("not an agent inventory; expected <REQUEST> as the root", file=shown,
                             element=root.tag)
    content = root.find("CONTENT")
    if content is None:
        raise AgentFileError("no <CONTENT> in <REQUEST>; not an inventory (a PROLOG or a reply?)",
                             file=shown, element="REQUEST")
    query = root.findtext("QUERY")
    if query and query.strip().upper() != "INVENTORY":
        raise AgentFileError("expected an INVENTORY query", file=shown, element="REQUEST/QUERY",
                             value=query.strip())
    sections: dict[str, list[dict]] = {}
    for element in content:
        if element.tag in SECTIONS:
            sections.setdefault(element.tag.lower(), []).append(
                {child.tag.lower(): child.text for child in element})
    return sections


class _DtdRefused(Exception):
    pass


def _refuse_dtd(*_args) -> None:
    raise _DtdRefused


def _json_sections(data: bytes, shown: str) -> dict[str, list[dict]]:
    try:
        document = json.loads(data.decode("utf-8-sig"))
    except UnicodeDecodeError:
        raise AgentFileError("JSON that is not UTF-8", file=shown) from None
    except json.JSONDecodeError as exc:
        raise AgentFileError(f"malformed JSON at line {exc.lineno}, column {exc.colno} ({exc.msg})",
                             file=shown) from None
    except RecursionError:
        raise AgentFileError("JSON nested too deep", file=shown) from None
    if not isinstance(document, dict) or not isinstance(document.get("content"), dict):
        raise AgentFileError("not a GLPI-agent inventory; expected an object with a 'content' object",
                             file=shown, element="content")
    itemtype = document.get("itemtype", "Computer")
    if itemtype not in ("Computer", "Unmanaged", None):
        raise AgentFileError(f"itemtype {itemtype!r}: only computer inventories are read",
                             file=shown, element="itemtype")
    if document.get("partial") is True:
        raise AgentFileError("partial inventory (only the parts that changed); expected a full one",
                             file=shown, element="partial")
    sections: dict[str, list[dict]] = {}
    for name, value in document["content"].items():
        if name.upper() not in SECTIONS:
            continue
        entries = value if isinstance(value, list) else [value]
        for k, entry in enumerate(entries):
            if not isinstance(entry, dict):
                raise AgentFileError("expected an object", file=shown,
                                     element=f"content/{name}" + (f"[{k + 1}]" if isinstance(value, list) else ""))
            sections.setdefault(name.lower(), []).append({f.lower(): v for f, v in entry.items()})
    return sections


def read_agent_file(path: Path | str, max_bytes: int = MAX_FILE_BYTES) -> AgentHost:
    """One agent file as an :class:`~auditor.agent_rows.AgentHost` (its host and monitor rows)."""
    path = Path(path)
    host = host_rows(read_sections(path, max_bytes), str(path))
    for row in host.rows:
        row["agent_file"] = path.name
    if host.logdate is None:
        host.logdate = _mtime_text(path)
    return host


def _mtime_text(path: Path) -> str:
    from datetime import datetime

    return datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M:%S")


# --- many files -----------------------------------------------------------------------------------

@dataclass
class AgentRead:
    """What reading a set of agent files gave.

    Attributes
    ----------
    rows
        Canonical rows (dicts, columns of :data:`ROW_COLUMNS`), hosts then their monitors.
    failures
        One line per file that could not be read (with ``keep_going``).
    notes
        Files replaced by a later inventory of the same machine, and similar remarks.
    files
        How many files were read.
    """

    rows: list[dict] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    files: int = 0


def _read_one(path: str) -> tuple[str, AgentHost | None, tuple | None]:
    try:
        return path, read_agent_file(path), None
    except AgentFileError as exc:  # sent back whole from a worker process, raised in the parent
        return path, None, (exc.reason, exc.element, exc.value)


def read_agent_files(
    paths: Iterable[Path | str], *, keep_going: bool = False, workers: int | None = None,
    progress: Callable[..., None] | None = None,
) -> AgentRead:
    """Read agent files (thousands: in a pool of processes) into canonical rows.

    Parameters
    ----------
    paths
        Agent files (folders already expanded, see :func:`expand_inputs`).
    keep_going
        List a file that cannot be read in ``failures`` and go on; else raise its error.
    workers
        Processes to use; one per available core when None (serial under :data:`PARALLEL_FROM` files).
    progress
        ``progress(text, done, total)`` every few hundred files.
    """
    names = [str(p) for p in paths]
    result = AgentRead(files=len(names))
    if workers is None:
        workers = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    hosts: dict[str, tuple[AgentHost, str]] = {}
    if len(names) >= PARALLEL_FROM and workers > 1:
        import multiprocessing

        # spawn: workers import this light module only, and never inherit the threads of pandas/Arrow
        with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("spawn")) as pool:
            outcomes = pool.map(_read_one, names, chunksize=32)
            _collect(outcomes, hosts, result, keep_going, progress, len(names))
    else:
        _collect(map(_read_one, names), hosts, result, keep_going, progress, len(names))
    taken: dict[str, int] = {}
    chosen = sorted(hosts.values(), key=lambda h: h[1])
    moved = _monitors_seen_twice(chosen, result.notes)
    for host, path in chosen:
        base = host.rows[0]["hostname"] or host.rows[0]["serial_number"] or host.key
        n = taken.get(base.casefold(), 0) + 1
        taken[base.casefold()] = n
        ident = base if n == 1 else f"{base}-{n}"
        rows = [row for i, row in enumerate(host.rows) if (path, i) not in moved]
        for k, row in enumerate(rows):
            row["id"] = ident if k == 0 else f"{ident}-monitor-{k}"
            row["quantity"] = 1
            row["source"] = "agent"
            result.rows.append({**{c: _cell(row.get(c)) for c in ROW_COLUMNS}, "_row": k + 1})
    return result


#: EDID serial numbers that cheap monitors all share (0x01010101 and the like): not an identity.
_PLACEHOLDER_SERIALS = frozenset({"16843009", "0x01010101", "01010101", "1010101"})


def _monitor_key(row: dict) -> tuple[str, str, str] | None:
    """(maker, model, serial) of a monitor row when its serial can identify it, else None."""
    serial = str(row.get("serial_number") or "").strip()
    if len(serial) < 6 or len(set(serial)) == 1 or serial.casefold() in _PLACEHOLDER_SERIALS:
        return None
    return (str(row.get("manufacturer") or "").casefold(), str(row.get("model") or "").casefold(),
            serial.casefold())


def _monitors_seen_twice(chosen: list[tuple[AgentHost, str]], notes: list[str]) -> set[tuple[str, int]]:
    """(file, row index) of monitor rows that another host's later inventory also lists.

    A monitor moved from one PC to another between two inventories is in both files: it is
    counted once, with the host inventoried last (its agent date, else its file), and a note.
    """
    best: dict[tuple[str, str, str], tuple[str, str, int]] = {}
    dropped: set[tuple[str, int]] = set()
    for host, path in chosen:
        for i, row in enumerate(host.rows[1:], start=1):
            key = _monitor_key(row)
            if key is None:
                continue
            entry = (host.logdate or "", path, i)
            other = best.get(key)
            if other is None:
                best[key] = entry
                continue
            newer, older = (entry, other) if entry[:2] >= other[:2] else (other, entry)
            best[key] = newer
            dropped.add((older[1], older[2]))
            notes.append(f"{older[1]}: monitor {row.get('model') or ''} (serial {row.get('serial_number')}) is also in "
                         f"the later inventory {newer[1]}: counted once, there")
    return dropped


def skipped_note(skipped: list[Path]) -> list[str]:
    """A note on files found in the folders and not read (not .xml, .ocs or .json)."""
    if not skipped:
        return []
    names = ", ".join(str(p) for p in skipped[:3]) + (", ..." if len(skipped) > 3 else "")
    return [f"{len(skipped)} file(s) in the folders not read (not .xml, .ocs or .json): {names}"]


def _cell(value: object) -> object:
    """Counts and years as text (``2019``, not ``2019.0`` once in a table with empty cells)."""
    return str(value) if isinstance(value, int) else value


def _collect(outcomes, hosts, result: AgentRead, keep_going: bool, progress, total: int) -> None:
    for done, (path, host, error) in enumerate(outcomes, 1):
        if progress and (done % 500 == 0 or done == total):
            progress(f"agent files read: {done:,}/{total:,}", done, total)
        if error is not None:
            exc = AgentFileError(error[0], file=path, element=error[1], value=error[2])
            if not keep_going:
                raise exc
            result.failures.append(str(exc))
            continue
        previous = hosts.get(host.key)
        if previous is None or (host.logdate or "") >= (previous[0].logdate or ""):
            if previous is not None:
                result.notes.append(f"{previous[1]}: replaced by the later inventory {path} of the same machine")
            hosts[host.key] = (host, path)
        else:
            result.notes.append(f"{path}: replaced by the later inventory {previous[1]} of the same machine")


# --- the hook of the inventory reader ------------------------------------------------------------

def agent_raw_tables(files: AgentFiles):
    """The agent files as one raw table for the inventory importer (``auditor assess``)."""
    import pandas as pd

    from auditor.readers import RawTable

    read = read_agent_files(files)
    frame = pd.DataFrame.from_records(read.rows, columns=[*ROW_COLUMNS, "_row"])
    frame = frame.astype(object).where(frame.notna(), None)
    shown = str(files[0].parent) if len({Path(f).parent for f in files}) == 1 else "agent files"
    raw = RawTable(frame.drop(columns=["agent_file", "warnings", "_row"]), f"{shown} (agent files)", 1)
    raw.agent_files = frame["agent_file"].tolist()  # type: ignore[attr-defined]
    raw.agent_rows = frame["_row"].tolist()  # type: ignore[attr-defined]
    raw.agent_warnings = frame["warnings"].tolist()  # type: ignore[attr-defined]
    raw.notes = [*skipped_note(getattr(files, "skipped", [])), *read.notes]  # type: ignore[attr-defined]
    return [raw]


def agent_origin(table, raw, messages: list[str]):
    """Per-row agent file names and reader warnings on a parsed agent table, and the reader's notes.

    Returns ``(table, messages)`` unchanged for any other raw table.
    """
    files = getattr(raw, "agent_files", None)
    if files is None:
        return table, messages
    table = table.copy()
    table["_file"] = files
    table["_row"] = raw.agent_rows
    extra = [w or "" for w in raw.agent_warnings]
    table["warnings"] = [f"{a}; {b}" if a and b else (a or b)
                         for a, b in zip(extra, table["warnings"], strict=True)]
    return table, [*raw.notes, *messages]
