"""Read and validate the options file of ``auditor compare`` (YAML, or CSV/XLSX one option per row).

YAML layout (docs/compare.md)::

    horizon_years: 6
    country: FR
    usage: {hours_per_day: 8, days_per_year: 220}
    electricity_price: 0.25        # per kWh, optional
    options:
      - id: keep
        label: Keep the 2019 laptop with a new battery
        category: laptop
        existing: true
        lifetime_years: 3          # for an existing device: the years it can still serve
        repairs: [{part: battery, wh: 42, price: 90}]
      - id: new
        category: laptop
        price: 900

CSV/XLSX: one option per row with the same field names as columns (``repairs`` as
``battery:wh=42;ram:gb=8``); horizon and country then come from the command line.

Every problem is an :class:`auditor.errors.OptionsError` naming the file, the option id (or line),
the field and what was expected.
"""

from __future__ import annotations

import difflib
import math
from dataclasses import dataclass, field
from pathlib import Path

from auditor.errors import InventoryError, OptionsError
from auditor.flags import NO_WORDS, YES_WORDS
from auditor.inventory import CANONICAL_COLUMNS
from factors.procurement import repair_drivers, repair_parts

#: Fields at the top of a YAML options file.
TOP_FIELDS: tuple[str, ...] = ("horizon_years", "country", "usage", "electricity_price", "options", "title")
#: Usage fields, applied to every option that does not set them itself.
USAGE_FIELDS: tuple[str, ...] = ("hours_per_day", "days_per_year", "avg_load_pct")
#: Fields an option has besides the canonical inventory columns.
OPTION_FIELDS: tuple[str, ...] = ("id", "label", "category", "existing", "refurbished", "lifetime_years",
                                  "quantity", "price", "repairs")
#: Canonical inventory columns an option may not set (they are the option's own fields or meaningless).
_NOT_IN_OPTIONS = frozenset({"id", "name", "category", "quantity", "lifetime_years", "price", "reused",
                             "refurbished", "energy_kwh_per_year", "status", "serial_number", "hostname",
                             "url", "source"})
#: Canonical inventory fields accepted in an option (year, power_w, screen_size_in, cpu_*...).
INVENTORY_FIELDS: tuple[str, ...] = tuple(c for c in CANONICAL_COLUMNS if c not in _NOT_IN_OPTIONS)
REPAIR_FIELDS: tuple[str, ...] = ("part", "gb", "wh", "price", "count")
MAX_HORIZON_YEARS = 50.0


@dataclass
class Repair:
    """One repair done on every device of an option: a new part, its capacity and price."""

    part: str
    amounts: dict[str, float] = field(default_factory=dict)
    price: float | None = None
    count: float = 1.0


@dataclass
class Option:
    """One option to compare (see the module docstring for the fields)."""

    id: str
    label: str
    category: str
    fields: dict[str, object] = field(default_factory=dict)
    existing: bool = False
    refurbished: bool = False
    lifetime_years: float | None = None
    quantity: float = 1.0
    price: float | None = None
    repairs: list[Repair] = field(default_factory=list)
    line: int | None = None
    #: line of each field in a YAML file (messages about a field name its own line)
    field_lines: dict[str, int] = field(default_factory=dict)


@dataclass
class OptionsSpec:
    """An options file, read and checked."""

    file: str
    options: list[Option]
    horizon_years: float | None = None
    country: str | None = None
    usage: dict[str, float] = field(default_factory=dict)
    electricity_price: float | None = None
    title: str | None = None


class _Where:
    """Builds errors located in one file, option and line."""

    def __init__(self, file: str, entry: str | None = None, line: int | None = None) -> None:
        self.file, self.entry, self.line = file, entry, line

    def error(self, message: str, field: str | None = None, value: object = None,
              line: int | None = None) -> OptionsError:
        return OptionsError(message, file=self.file, entry=self.entry, line=line or self.line,
                            field=field, value=value)


def _suggest(name: str, known: tuple[str, ...]) -> str:
    close = difflib.get_close_matches(str(name), known, n=1, cutoff=0.6)
    return f" (did you mean '{close[0]}'?)" if close else ""


def _number(value: object, where: _Where, name: str, *, minimum: float = 0.0, strict: bool = False,
            maximum: float = math.inf, line: int | None = None) -> float:
    """A finite number >= minimum (> when strict) and <= maximum; decimal commas accepted."""
    text = str(value).strip().replace(",", ".") if isinstance(value, str) else value
    try:
        number = float(text)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        number = math.nan
    if isinstance(value, bool) or not math.isfinite(number):
        raise where.error("is not a number", name, value, line)
    low_ok = number > minimum if strict else number >= minimum
    if not low_ok or number > maximum:
        bound = f"> {minimum:g}" if strict else f">= {minimum:g}"
        upper = f" and <= {maximum:g}" if math.isfinite(maximum) else ""
        raise where.error(f"expected a number {bound}{upper}", name, value, line)
    return number


def _flag(value: object, where: _Where, name: str, line: int | None = None) -> bool:
    if isinstance(value, bool):
        return value
    word = str(value).strip().lower()
    if word in YES_WORDS:
        return True
    if word in NO_WORDS or word == "":
        return False
    raise where.error("expected yes or no (true/false)", name, value, line)


def parse_repair(entry: object, where: _Where, line: int | None = None) -> Repair:
    """One repair: a part name, or a mapping ``{part, gb|wh, price, count}``."""
    parts = repair_parts()
    if isinstance(entry, str):
        entry = {"part": entry.strip()}
    if not isinstance(entry, dict):
        raise where.error("each repair is a part name or a mapping with 'part'", "repairs", entry, line)
    for key in entry:
        if key not in REPAIR_FIELDS:
            raise where.error(f"unknown repair field; expected one of {', '.join(REPAIR_FIELDS)}"
                              f"{_suggest(key, REPAIR_FIELDS)}", f"repairs.{key}", entry[key], line)
    part = str(entry.get("part", "")).strip().lower()
    if part not in parts:
        raise where.error(f"no cited repair footprint for this part; known parts: {', '.join(parts)} "
                          "(see factors/data/repairs.md)", "repairs.part", entry.get("part"), line)
    amounts = {}
    for driver in repair_drivers(part):
        if entry.get(driver) is None:
            unit = {"gb": "GB of the new module or drive", "wh": "Wh of the new battery (printed on it)"}[driver]
            raise where.error(f"a {part} repair needs '{driver}': the {unit}", f"repairs.{driver}", None, line)
        amounts[driver] = _number(entry[driver], where, f"repairs.{driver}", strict=True, line=line)
    price = None if entry.get("price") is None else _number(entry["price"], where, "repairs.price", line=line)
    count = 1.0 if entry.get("count") is None else _number(entry["count"], where, "repairs.count", strict=True,
                                                            line=line)
    return Repair(part, amounts, price, count)


def parse_option(raw: dict, where: _Where, lines: dict[str, int] | None = None) -> Option:
    """Check one option's fields (``lines``: line of each field, for messages)."""
    lines = lines or {}
    known = (*OPTION_FIELDS, *INVENTORY_FIELDS)
    for key in raw:
        if key not in known:
            raise where.error(f"unknown field; expected one of the option fields ({', '.join(OPTION_FIELDS)}) "
                              f"or an inventory column (docs/inventory.md){_suggest(key, known)}",
                              str(key), raw[key], lines.get(str(key)))
    category = raw.get("category")
    if category is None or str(category).strip() == "":
        raise where.error("missing category (laptop, monitor, server...)", "category")
    option = Option(id=where.entry or "", label=str(raw.get("label") or where.entry), category=str(category).strip(),
                    line=where.line, field_lines=dict(lines))
    option.existing = _flag(raw.get("existing", False), where, "existing", lines.get("existing"))
    option.refurbished = _flag(raw.get("refurbished", False), where, "refurbished", lines.get("refurbished"))
    if option.existing and option.refurbished:
        raise where.error("an option is either existing (already owned) or refurbished (bought second-hand), "
                          "not both", "refurbished", raw.get("refurbished"), lines.get("refurbished"))
    if raw.get("lifetime_years") is not None:
        option.lifetime_years = _number(raw["lifetime_years"], where, "lifetime_years", strict=True,
                                        maximum=100, line=lines.get("lifetime_years"))
    if raw.get("quantity") is not None:
        option.quantity = _number(raw["quantity"], where, "quantity", strict=True, line=lines.get("quantity"))
    if raw.get("price") is not None:
        option.price = _number(raw["price"], where, "price", line=lines.get("price"))
    repairs = raw.get("repairs") or []
    if isinstance(repairs, str):
        repairs = _repairs_from_text(repairs, where)
    if not isinstance(repairs, list):
        raise where.error("expected a list of repairs", "repairs", repairs, lines.get("repairs"))
    option.repairs = [parse_repair(r, where, lines.get("repairs")) for r in repairs]
    option.fields = {k: v for k, v in raw.items() if k in INVENTORY_FIELDS and v is not None and v != ""}
    return option


def _repairs_from_text(text: str, where: _Where) -> list[dict]:
    """``battery:wh=42;ram:gb=8,price=60`` (a CSV cell) as repair mappings."""
    out = []
    for chunk in [c.strip() for c in text.split(";") if c.strip()]:
        part, _, rest = chunk.partition(":")
        entry: dict[str, object] = {"part": part.strip()}
        for pair in [p.strip() for p in rest.split(",") if p.strip()]:
            key, sep, value = pair.partition("=")
            if not sep:
                raise where.error("expected part:key=value,key=value (e.g. battery:wh=42)", "repairs", chunk)
            entry[key.strip()] = value.strip()
        out.append(entry)
    return out


def _check_ids(options: list[Option], file: str) -> None:
    seen: dict[str, Option] = {}
    for option in options:
        if option.id in seen:
            first = seen[option.id]
            where = f" (first at line {first.line})" if first.line else ""
            raise OptionsError(f"duplicate option id; ids must be unique{where}", file=file, entry=option.id,
                               line=option.line, field="id", value=option.id)
        seen[option.id] = option


def _option_id(raw: dict, where: _Where) -> str:
    value = raw.get("id")
    if value is None or str(value).strip() == "":
        raise where.error("missing id (a short unique name for the option)", "id")
    return str(value).strip()


def read_options(path: Path | str) -> OptionsSpec:
    """Read an options file: YAML (``.yaml``/``.yml``), or CSV/XLSX with one option per row."""
    path = Path(path)
    shown = str(path)
    if not path.exists():
        raise OptionsError("file not found", file=shown)
    if path.is_dir():
        raise OptionsError("is a folder; expected an options file (.yaml, .csv or .xlsx)", file=shown)
    if path.suffix.lower() in (".yaml", ".yml"):
        return _read_yaml(path, shown)
    return _read_table(path, shown)


def load_yaml(path: Path, shown: str) -> tuple[object, object]:
    """(data, node tree) of a YAML file; syntax errors and duplicate keys name the line."""
    import yaml

    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise OptionsError(f"cannot read file ({exc})", file=shown) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise OptionsError(f"YAML syntax error: {problem}", file=shown,
                           line=(mark.line + 1) if mark is not None else None) from None
    _check_duplicate_keys(node, shown)
    return data, node


def _check_duplicate_keys(node, shown: str) -> None:
    import yaml

    if isinstance(node, yaml.MappingNode):
        seen: dict[str, int] = {}
        for key, value in node.value:
            name = str(key.value)
            if name in seen:
                raise OptionsError(f"key given twice (first at line {seen[name]})", file=shown,
                                   line=key.start_mark.line + 1, field=name)
            seen[name] = key.start_mark.line + 1
            _check_duplicate_keys(value, shown)
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            _check_duplicate_keys(item, shown)


def mapping_lines(node) -> dict[str, int]:
    """Line (1-based) of each key of a YAML mapping node."""
    import yaml

    if not isinstance(node, yaml.MappingNode):
        return {}
    return {str(k.value): k.start_mark.line + 1 for k, _ in node.value}


def child_node(node, key: str):
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if str(k.value) == key:
                return v
    return None


def _read_yaml(path: Path, shown: str) -> OptionsSpec:
    import yaml

    data, node = load_yaml(path, shown)
    if not isinstance(data, dict):
        raise OptionsError("expected a mapping with 'options' (and horizon_years, country, usage...)", file=shown,
                           line=1)
    top_lines = mapping_lines(node)
    for key in data:
        if key not in TOP_FIELDS:
            raise OptionsError(f"unknown field; expected one of {', '.join(TOP_FIELDS)}{_suggest(key, TOP_FIELDS)}",
                               file=shown, line=top_lines.get(str(key)), field=str(key))
    where = _Where(shown)
    spec = OptionsSpec(file=shown, options=[])
    spec.title = None if data.get("title") is None else str(data["title"])
    if data.get("horizon_years") is not None:
        spec.horizon_years = _number(data["horizon_years"], where, "horizon_years", strict=True,
                                     maximum=MAX_HORIZON_YEARS, line=top_lines.get("horizon_years"))
    if data.get("country") is not None:
        spec.country = str(data["country"]).strip()
    if data.get("electricity_price") is not None:
        spec.electricity_price = _number(data["electricity_price"], where, "electricity_price",
                                         line=top_lines.get("electricity_price"))
    usage = data.get("usage") or {}
    if not isinstance(usage, dict):
        raise where.error("expected a mapping of hours_per_day, days_per_year, avg_load_pct", "usage", usage,
                          top_lines.get("usage"))
    usage_lines = mapping_lines(child_node(node, "usage"))
    spec.usage = _usage(usage, where, usage_lines)
    options = data.get("options")
    if not isinstance(options, list) or not options:
        raise where.error("expected a non-empty list of options", "options", None, top_lines.get("options"))
    items = child_node(node, "options").value if isinstance(child_node(node, "options"), yaml.SequenceNode) else []
    for i, raw in enumerate(options):
        item = items[i] if i < len(items) else None
        line = item.start_mark.line + 1 if item is not None else None
        if not isinstance(raw, dict):
            raise OptionsError("each option is a mapping with id, category...", file=shown, line=line,
                               field="options")
        entry = _option_id(raw, _Where(shown, None, line))
        spec.options.append(parse_option(raw, _Where(shown, entry, line), mapping_lines(item)))
    _check_ids(spec.options, shown)
    return spec


def _usage(usage: dict, where: _Where, lines: dict[str, int]) -> dict[str, float]:
    limits = {"hours_per_day": 24.0, "days_per_year": 366.0, "avg_load_pct": 100.0}
    out = {}
    for key, value in usage.items():
        if key not in USAGE_FIELDS:
            raise where.error(f"unknown usage field; expected one of {', '.join(USAGE_FIELDS)}"
                              f"{_suggest(key, USAGE_FIELDS)}", f"usage.{key}", value, lines.get(str(key)))
        out[key] = _number(value, where, f"usage.{key}", maximum=limits[key], line=lines.get(str(key)))
    return out


def _read_table(path: Path, shown: str) -> OptionsSpec:
    from auditor.readers import read_raw

    try:
        raws = read_raw(path)
    except InventoryError as exc:
        raise OptionsError(exc.reason, file=shown) from None
    spec = OptionsSpec(file=shown, options=[])
    for raw in raws:
        frame = raw.frame
        columns = [str(c).strip() for c in frame.columns]
        for i, record in enumerate(frame.itertuples(index=False)):
            line = raw.first_row + i
            values = {c: (None if _blank(v) else v) for c, v in zip(columns, record, strict=True)}
            values = {c: v for c, v in values.items() if v is not None}
            entry = _option_id(values, _Where(shown, None, line))
            option = parse_option(values, _Where(shown, entry, line))
            spec.options.append(option)
    if not spec.options:
        raise OptionsError("no options found (one option per row)", file=shown)
    _check_ids(spec.options, shown)
    return spec


def _blank(value: object) -> bool:
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    try:
        import pandas as pd

        if value is pd.NA or value is pd.NaT:
            return True
    except ImportError:  # pragma: no cover
        pass
    return isinstance(value, str) and value.strip() == ""
