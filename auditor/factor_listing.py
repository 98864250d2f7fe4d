"""Listing of factors with their sources (``auditor factors``)."""

from __future__ import annotations

import io

import pandas as pd

from factors.tables import FactorLibrary, default_library

_COLUMNS = ["table", "id", "value", "low", "high", "unit", "bound_basis", "source", "year", "origin"]


def select_factors(
    library: FactorLibrary,
    *,
    criterion: str | None = None,
    country: str | None = None,
    category: str | None = None,
    tables: tuple[str, ...] | None = None,
) -> pd.DataFrame:
    """Factor rows matching the filters, from all tables, values in each row's own unit."""
    frames = []
    wanted = set(tables) if tables else {"electricity", "embodied", "archetypes", "parameters"}
    if country and not tables:
        wanted = {"electricity"}
    if category and not tables:
        wanted = {"embodied", "archetypes"}
    code = library.resolve_country(country) if country else None
    if category:
        from auditor.inventory import category_aliases
        from factors.tables import _fold

        category = category_aliases().get(_fold(category), category)
    for name in ("electricity", "embodied", "archetypes", "parameters"):
        if name not in wanted:
            continue
        frame = getattr(library, name).copy()
        if criterion and "criterion" in frame:
            frame = frame[frame["criterion"] == criterion]
        elif criterion and name in ("archetypes", "parameters"):
            continue
        if code and name == "electricity":
            frame = frame[frame["country"] == code]
        if category and "category" in frame:
            frame = frame[frame["category"] == category]
        if frame.empty:
            continue
        # back to the row's own unit for display (bounds as combined at load time)
        scale = frame["unit_scale"].to_numpy(dtype=float)
        shown = pd.DataFrame({
            "table": name,
            "id": frame["id"].to_numpy(),
            "value": [_g(v) for v in frame["value"].to_numpy(dtype=float) / scale],
            "low": [_g(v) for v in frame["low"].to_numpy(dtype=float) / scale],
            "high": [_g(v) for v in frame["high"].to_numpy(dtype=float) / scale],
            "unit": frame["unit"].to_numpy(),
            "bound_basis": frame["bound_basis"].to_numpy(),
            "source": frame["source"].to_numpy(),
            "year": [str(int(y)) if y == y else "" for y in frame["year"].to_numpy(dtype=float)],
            "origin": frame["origin"].to_numpy(),
        })
        frames.append(shown)
    if not frames:
        return pd.DataFrame(columns=_COLUMNS)
    return pd.concat(frames, ignore_index=True)


def _g(value: float) -> str:
    """A factor as written in its table (up to 6 significant digits)."""
    return f"{value:.6g}"


def list_factors(
    *,
    criterion: str | None = None,
    country: str | None = None,
    category: str | None = None,
    tables: tuple[str, ...] | None = None,
    fmt: str = "table",
    library: FactorLibrary | None = None,
) -> str:
    """Text listing of factors (``fmt``: ``table`` for people, ``csv`` for tools)."""
    library = library or default_library()
    frame = select_factors(library, criterion=criterion, country=country, category=category, tables=tables)
    if fmt == "csv":
        buffer = io.StringIO()
        frame.to_csv(buffer, index=False)
        return buffer.getvalue()
    if frame.empty:
        return "No factor matches.\n"
    lines = []
    for _, row in frame.iterrows():
        bounds = f"[{row['low']} – {row['high']}]"
        lines.append(f"{row['id']:<34} {row['value']:>12} {bounds:<24} {row['unit']:<14} {row['year']}")
        origin = "" if row["origin"] == "package" else f" ({row['origin']})"
        lines.append(f"{'':<34} bounds: {row['bound_basis']}{origin}; source: {row['source']}")
    lines.append(f"{len(frame)} factor(s).")
    return "\n".join(lines) + "\n"


def list_packs(library: FactorLibrary | None = None) -> str:
    """Text listing of the factor packs in force and the rows each replaces or adds."""
    library = library or default_library()
    lines = [f"factor tables: {library.fingerprint()}"]
    if not library.packs:
        lines.append("no factor pack in force (--factors DIR, AUDITOR_FACTORS, or [tool.auditor] "
                     "factors in auditor.toml / pyproject.toml)")
        return "\n".join(lines) + "\n"
    for pack in library.packs:
        lines.append(f"pack {pack.name} {pack.version}: {pack.path}")
        origin = f"pack:{pack.name}"
        for table in pack.tables:
            frame = getattr(library, table)
            ids = frame.loc[frame["origin"] == origin, "id"].tolist()
            packaged = pd.read_csv(library.data_dir / f"{table}.csv", dtype=str,
                                   keep_default_na=False, usecols=["id"])["id"]
            replaced = [i for i in ids if i in set(packaged)]
            lines.append(f"  {table}: {len(replaced)} row(s) replaced, "
                         f"{len(ids) - len(replaced)} added")
            lines += [f"    {i}" for i in ids]
    lines += [f"missing: {m}" for m in library.missing_factors()]
    return "\n".join(lines) + "\n"
