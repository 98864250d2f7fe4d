"""Factor packs: folders of factor tables a user has the right to use, laid over the packaged ones.

A pack is a folder holding any of ``electricity.csv``, ``embodied.csv``, ``archetypes.csv`` and
``parameters.csv`` with the packaged tables' columns (``licence`` may be ``user-supplied``), and
optionally a ``pack.toml`` with ``name = "..."`` and ``version = "..."``. A pack row replaces the
packaged row of the same ``id``; a new id adds a row. Rows are checked by the same loader
(units, sources, bounds, licence).

Where packs come from, first found wins (they do not stack):

1. the ``--factors DIR`` option (repeatable) of a command;
2. the environment variable ``AUDITOR_FACTORS`` (folders separated by ``os.pathsep``);
3. ``factors = ["dir", ...]`` in the ``[tool.auditor]`` table of ``auditor.toml``, else of
   ``pyproject.toml``, in the working directory (paths relative to that file).

Later packs override earlier ones.
"""

from __future__ import annotations

import hashlib
import os
import tomllib
from dataclasses import dataclass
from pathlib import Path

from factors.errors import FactorTableError

#: Tables a pack may hold.
PACK_TABLES: tuple[str, ...] = ("electricity", "embodied", "archetypes", "parameters")
ENV_VAR = "AUDITOR_FACTORS"
CONFIG_FILES: tuple[str, ...] = ("auditor.toml", "pyproject.toml")


@dataclass(frozen=True)
class FactorPack:
    """One pack: its name, version (from ``pack.toml``, else a content hash) and folder."""

    name: str
    version: str
    path: Path
    tables: tuple[str, ...]
    #: False when ``pack.toml`` says ``embodied_model = false`` (its rows replace the calibrated
    #: embodied model, as the French reference method does).
    embodied_model: bool = True

    def file(self, table: str) -> Path:
        return self.path / f"{table}.csv"


def read_pack(path: Path | str) -> FactorPack:
    """Describe the pack in ``path`` (without loading its rows).

    Raises
    ------
    FactorTableError
        The folder does not exist, holds no known table, or its ``pack.toml`` is unreadable.
    """
    path = Path(path)
    if not path.is_dir():
        raise FactorTableError(f"factor pack {str(path)!r}: not a folder")
    tables = tuple(t for t in PACK_TABLES if (path / f"{t}.csv").is_file())
    if not tables:
        raise FactorTableError(f"factor pack {str(path)!r}: no table; expected one of "
                               f"{', '.join(t + '.csv' for t in PACK_TABLES)}")
    digest = hashlib.sha256()
    for table in tables:
        digest.update(table.encode())
        digest.update((path / f"{table}.csv").read_bytes())
    name, version = path.resolve().name, f"sha256:{digest.hexdigest()[:12]}"
    meta = path / "pack.toml"
    if meta.is_file():
        try:
            data = tomllib.loads(meta.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise FactorTableError(f"{meta}: cannot read ({exc})") from None
        name = str(data.get("name", name))
        if "version" in data:
            version = f"{data['version']} ({version})"
        return FactorPack(name, version, path, tables, bool(data.get("embodied_model", True)))
    return FactorPack(name, version, path, tables)


def config_value(key: str, cwd: Path | None = None) -> tuple[object, Path] | None:
    """``[tool.auditor] key`` of auditor.toml, else pyproject.toml, in ``cwd``: (value, file)."""
    cwd = Path(cwd or Path.cwd())
    for name in CONFIG_FILES:
        config = cwd / name
        if not config.is_file():
            continue
        try:
            data = tomllib.loads(config.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise FactorTableError(f"{config}: cannot read ({exc})") from None
        value = data.get("tool", {}).get("auditor", {}).get(key)
        if value is not None:
            return value, config
    return None


def active_method(cli_method: str | None = None) -> str:
    """The method in force: the ``--method`` option, else ``AUDITOR_METHOD``, else
    ``[tool.auditor] method`` in the config file, else ``pcf``."""
    found = config_value("method")
    method = cli_method or os.environ.get("AUDITOR_METHOD", "").strip() or (str(found[0]) if found else "pcf")
    if method not in METHODS:
        raise FactorTableError(f"unknown method {method!r}; expected one of {', '.join(METHODS)}")
    return method


#: Methods: ``pcf`` (manufacturers' footprints, calibrated model; the default) and ``ademe`` (the
#: French reference figures ADEME publishes openly), each a packaged pack (or none) under
#: ``factors/data/methods/``. See docs/methodology.md.
METHODS: tuple[str, ...] = ("pcf", "ademe")


def config_pack_dirs(cwd: Path | None = None) -> list[Path]:
    """Pack folders named by ``[tool.auditor] factors`` in auditor.toml or pyproject.toml."""
    cwd = Path(cwd or Path.cwd())
    for name in CONFIG_FILES:
        config = cwd / name
        if not config.is_file():
            continue
        try:
            data = tomllib.loads(config.read_text(encoding="utf-8"))
        except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
            raise FactorTableError(f"{config}: cannot read ({exc})") from None
        entry = data.get("tool", {}).get("auditor", {}).get("factors")
        if entry is None:
            continue
        entries = [entry] if isinstance(entry, str) else list(entry)
        return [(config.parent / str(e)) for e in entries]
    return []


def active_pack_dirs(cli_dirs: tuple[str, ...] | list[str] | None = None) -> list[Path]:
    """The pack folders in force: the option, else the environment, else the config file."""
    if cli_dirs:
        return [Path(d) for d in cli_dirs]
    env = os.environ.get(ENV_VAR, "").strip()
    if env:
        return [Path(d) for d in env.split(os.pathsep) if d.strip()]
    return config_pack_dirs()
