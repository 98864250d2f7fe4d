"""Listing of factors with their sources (``auditor factors``)."""

from __future__ import annotations

import io

import pandas as pd

from factors.tables import FactorLibrary, default_library

_COLUMNS = ["table", "id", "value", "low", "high", "unit", "source", "year"]


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
        # back to the row's own unit for display
        raw = pd.read_csv(library.data_dir / f"{name}.csv", dtype=str, keep_default_na=False)
        raw = raw.set_index("id").loc[frame["id"]]
        shown = pd.DataFrame({
            "table": name,
            "id": frame["id"].to_numpy(),
            "value": raw["value"].to_numpy(),
            "low": raw["low"].to_numpy(),
            "high": raw["high"].to_numpy(),
            "unit": raw["unit"].to_numpy(),
            "source": raw["source"].to_numpy(),
            "year": raw["year"].to_numpy(),
        })
        frames.append(shown)
    if not frames:
        return pd.DataFrame(columns=_COLUMNS)
    return pd.concat(frames, ignore_index=True)


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
        lines.append(f"{'':<34} source: {row['source']}")
    lines.append(f"{len(frame)} factor(s).")
    return "\n".join(lines) + "\n"
