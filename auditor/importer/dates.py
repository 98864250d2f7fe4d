"""Dates in cells: day-first or ISO, month/year, bare years, Excel day numbers; real calendar dates
within a plausible range only.

Purchase dates (and purchase years) must lie between 1 January 1970 and one year after the
assessment date: older IT equipment is not in service, and a later date is a typing error. A
warranty may end up to 30 years after the assessment date. Each distinct cell is parsed once.
"""

from __future__ import annotations

import re
from datetime import date, datetime

import numpy as np
import pandas as pd

from auditor.importer.problems import Context, factorize, show_numbers

#: Earliest date accepted in date columns and as a purchase year.
EARLIEST = date(1970, 1, 1)
#: Years after the assessment date a date may lie: purchases, warranty ends.
YEARS_AHEAD = {"purchase_date": 1, "warranty_end": 30}

_FORMATS = (
    "%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y", "%Y/%m/%d", "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%d/%m/%Y %H:%M:%S", "%d/%m/%Y %H:%M", "%d/%m/%y",
    "%m/%Y", "%m-%Y", "%Y-%m", "%Y",
)
_US_FORMATS = tuple(f.replace("%d/%m", "%m/%d").replace("%d-%m", "%m-%d") for f in _FORMATS)
_MISSING = frozenset({"-", "—", "n/a", "na", "nc", "?", "inconnu", "unknown", "#n/a",
                      # the zero date of database exports (GLPI on MySQL): never entered
                      "0000-00-00", "0000-00-00 00:00:00", "00/00/0000", "00-00-0000"})
#: An ISO timestamp with fractions of a second or a time zone (API exports): read as its date and
#: time as written (the local day), without them.
_ISO_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}(?::\d{2})?)(?:[.,]\d{1,9})?(?:Z|[+-]\d{2}:?\d{2})?")


#: Month names and abbreviations, French and English, unaccented lower case.
_MONTHS = {name: number for number, names in enumerate((
    "janvier janv jan january", "fevrier fevr fev february feb", "mars mar march",
    "avril avr april apr", "mai may", "juin june jun", "juillet juil july jul", "aout august aug",
    "septembre sept sep september", "octobre oct october", "novembre nov november",
    "decembre dec december"), start=1) for name in names.split()}
_MONTH_NAME = re.compile(r"(?:(\d{1,2})(?:er|st|nd|rd|th)? )?([a-z]+) (\d{4})")


def month_name_date(text: str) -> date | None:
    """A date written with a month name: ``mars 2019`` (the 15th, as ``03/2019``), ``1er mars
    2019``, ``3 déc. 2021``, ``March 2019``, ``1 March 2019``; None otherwise or if impossible."""
    from auditor.importer.headers import words

    match = _MONTH_NAME.fullmatch(words(text[:40]))
    month = _MONTHS.get(match.group(2)) if match else None
    if month is None:
        return None
    try:
        return date(int(match.group(3)), month, int(match.group(1) or 15))
    except ValueError:
        return None


def latest(column: str, today: date) -> date:
    """Latest date accepted in ``column`` for an assessment on ``today``."""
    ahead = YEARS_AHEAD.get(column, 1)
    try:
        return today.replace(year=today.year + ahead)
    except ValueError:  # 29 February
        return today.replace(year=today.year + ahead, day=28)


def parse_date(text: str, month_first: bool = False) -> date | None:
    """One cell as a calendar date (None when unreadable); no range check here."""
    text = _without_zone(text.strip())
    if len(text) > 40:
        return None
    if text.isdigit() and 10_000 < int(text) < 80_000:  # Excel serial day number
        return date(1899, 12, 30) + pd.Timedelta(days=int(text)).to_pytimedelta()
    for fmt in _US_FORMATS if month_first else _FORMATS:
        try:
            parsed = datetime.strptime(text, fmt)
        except ValueError:
            continue
        if fmt == "%Y":
            return date(parsed.year, 7, 1)
        if fmt in ("%m/%Y", "%m-%Y", "%Y-%m"):
            return date(parsed.year, parsed.month, 15)
        return parsed.date() if parsed.time() == datetime.min.time() else parsed
    return month_name_date(text)


def _parse_many(texts: list[str], month_first: bool = False) -> list[date | datetime | None]:
    """:func:`parse_date` of many cells: each format tried on all cells at once (pandas), then the
    cells left (and any outside pandas' 1677-2262 range) one by one."""
    out = np.full(len(texts), None, dtype=object)
    left = np.array([_without_zone(t.strip()) for t in texts], dtype=object)
    serial = [k for k, t in enumerate(left) if t.isdigit() and len(t) == 5]
    todo = np.flatnonzero([len(t) <= 40 and t[:1].isdigit() and t[:1].isascii()
                           and not (t.isdigit() and len(t) == 5) for t in left])
    for fmt in _US_FORMATS if month_first else _FORMATS:
        if not len(todo):
            break
        parsed = pd.to_datetime(pd.Series(left[todo], dtype=object), format=fmt, errors="coerce")
        ok = (parsed.notna() & parsed.dt.year.between(1678, 2261)).to_numpy()
        if not ok.any():
            continue
        stamps = parsed[ok]
        if fmt == "%Y":
            stamps = stamps + pd.DateOffset(months=6)
        elif fmt in ("%m/%Y", "%m-%Y", "%Y-%m"):
            stamps = stamps + pd.Timedelta(days=14)
        with_time = (stamps != stamps.dt.normalize()).to_numpy()
        found = todo[ok]
        out[found] = stamps.dt.date.to_numpy(dtype=object)  # in one step, not one stamp at a time
        if with_time.any():
            out[found[with_time]] = np.asarray(stamps[with_time].dt.to_pydatetime(), dtype=object)
        todo = todo[~ok]
    for k in [*serial, *(k for k in todo if _far_year(left[k]))]:
        out[k] = parse_date(texts[k], month_first)  # Excel day numbers, years pandas cannot hold
    for k in np.flatnonzero([v is None and _LETTER.search(t) is not None for v, t in zip(out, left, strict=True)]):
        out[k] = month_name_date(left[k])  # 'mars 2019', '1er mars 2019'
    return list(out)


_LETTER = re.compile(r"[^\W\d_]")


def _without_zone(text: str) -> str:
    """``2019-03-01T10:00:00.000Z`` -> ``2019-03-01 10:00:00`` (see :data:`_ISO_STAMP`)."""
    match = _ISO_STAMP.fullmatch(text) if len(text) <= 40 and "-" in text[:5] else None
    return f"{match.group(1)} {match.group(2)}" if match else text


def _far_year(text: str) -> bool:
    return any(len(n) >= 4 and not 1678 <= int(n[:6]) <= 2261 for n in re.findall(r"\d+", text[:40]))


def parse_dates(series: pd.Series, column: str, header: str, today: date, ctx: Context) -> np.ndarray:
    """A date column as ``datetime64[ns]`` (NaT when empty), parsed once per distinct cell.

    A column whose dates fail day-first but all read month-first (``03/15/2021``) is read
    month-first, with a warning on each row: never guessed silently, never mixed in one column.
    """
    codes, uniques = factorize(series)
    texts = [str(u) for u in uniques]
    missing = np.array([t.casefold() in _MISSING for t in texts], dtype=bool)
    parsed = [None if m else v for v, m in zip(_parse_many(texts), missing, strict=True)]
    bad = [k for k, value in enumerate(parsed) if value is None and not missing[k]]
    if bad:
        us = [None if m else v for v, m in zip(_parse_many(texts, True), missing, strict=True)]
        if all(us[k] is not None for k in range(len(us)) if not missing[k]):
            parsed = us
            ctx.warn(np.flatnonzero(codes >= 0), header,
                     "dates read month-first (mm/dd/yyyy): some are impossible day-first")
        else:
            k = next((k for k in bad if us[k] is None), bad[0])
            ctx.fail(np.flatnonzero(codes == k), header, uniques[k],
                     "impossible or unreadable date; expected dd/mm/yyyy or yyyy-mm-dd")
    last = latest(column, today)
    for k, value in enumerate(parsed):
        if value is not None and not (EARLIEST <= _day(value) <= last):
            ctx.fail(np.flatnonzero(codes == k), header, uniques[k],
                     f"date out of range; expected a date from {EARLIEST.isoformat()} to "
                     f"{last.isoformat()}")
    values = np.array([np.datetime64(v, "ns") if v is not None else np.datetime64("NaT", "ns")
                       for v in parsed] + [np.datetime64("NaT", "ns")], dtype="datetime64[ns]")
    return values[codes]  # code -1 (missing) takes the NaT at the end


def _day(value: date | datetime) -> date:
    return value.date() if isinstance(value, datetime) else value


def check_years(years: np.ndarray, header: str, today: date, ctx: Context) -> None:
    """Purchase years: whole years from 1970 to the year after the assessment."""
    last = latest("purchase_date", today).year
    bad = np.isfinite(years) & ((years < EARLIEST.year) | (years > last) | (years != np.round(years)))
    if bad.any():
        positions = np.flatnonzero(bad)
        ctx.fail(positions, header, show_numbers(years[positions[:1]])[0],
                 f"expected a four-digit year from {EARLIEST.year} to {last}")
