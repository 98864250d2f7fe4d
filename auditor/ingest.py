"""Read CPU utilisation and energy from a Prometheus server into probe record files.

A site that already runs Prometheus (or a store speaking its HTTP API: Thanos, VictoriaMetrics,
Mimir...) needs no new agent: ``auditor ingest --prometheus URL --range 30d -o samples/``
reads, per host, the counters of our probe (``auditor_probe_*``) or of node_exporter
(``node_cpu_seconds_total``, and ``node_rapl_*_joules_total`` where present), and writes sample
files in the probe's own record format, which ``auditor assess --samples`` reads.

Method. Prometheus computes the aggregates itself: for every host and every step (one hour by
default) it returns the increase of the busy and all CPU-seconds counters and of the energy
counters over that step (``increase(counter[step])``, evaluated by ``query_range`` at that
step), so the tool never downloads the raw scrapes (a 60 s scrape is 60 points an hour; an
hourly step is one). ``increase`` copes with counter resets (reboots, probe restarts) on the
server. A step with no sample is a gap: the host was off or unreachable; the hours of the week
a host is on, its mean load and its yearly energy then follow from these records in
:mod:`auditor.measurements`, exactly as for the probe's own files. Hosts are read in pages
(``hosts_per_page`` instances per query, selected with an anchored ``instance=~`` matcher) and
each page's files are written before the next is asked for, so memory stays bounded whatever the
fleet's size; long ranges are also paged in time (:data:`MAX_POINTS` steps per query).

The same HTTP API and PromQL are served by Thanos, Mimir and VictoriaMetrics; docs/probes.md
lists the exact queries.

References: Prometheus HTTP API, https://prometheus.io/docs/prometheus/latest/querying/api/
(``/api/v1/query``, ``/api/v1/query_range``, response envelope); the limit of 11,000 points per
series of a range query is in Prometheus' ``web/api/v1/api.go`` ("exceeded maximum resolution
of 11,000 points per timeseries").
"""

from __future__ import annotations

import json
import math
import os
import re
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field

from auditor.errors import InputError
from probes.sources import SOURCE_ORDER

SOURCE_RANK = {name: i for i, name in enumerate(SOURCE_ORDER)}

#: Steps per range-query page: under Prometheus' limit of 11,000 points per series (api.go).
MAX_POINTS = 10_000

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0, "y": 31536000.0}

#: Counter selectors per origin: (metric selector, extra matchers, grouping labels).
PROBE_SERIES = {
    "busy": ("auditor_probe_cpu_seconds_total", 'mode="busy"', "instance"),
    "total": ("auditor_probe_cpu_seconds_total", "", "instance"),
    "energy": ("auditor_probe_energy_joules_total", "", "instance, source"),
}
NODE_SERIES = {
    "busy": ("node_cpu_seconds_total", 'mode!~"idle|iowait|steal"', "instance"),
    "total": ("node_cpu_seconds_total", 'mode!="steal"', "instance"),
    "energy": ("", '__name__=~"node_rapl_(package|dram)_joules_total"', "instance"),
}
_RE2_SPECIAL = re.compile(r"[\\.+*?()|\[\]{}^$]")
#: Share of a step's CPU capacity above which the host is taken as on for the whole step.
FULL_STEP = 0.95
#: Hosts listed by name in the summary.
SHOWN_HOSTS = 20
#: Instances of one page of hosts per query (memory stays bounded by this, not by the fleet).
HOSTS_PER_PAGE = 100


def instance_matcher(instances: list[str]) -> str:
    """An anchored PromQL matcher selecting exactly these instances: ``instance=~"a|b\\.c"``.

    Label values are escaped for RE2 (the regex engine of PromQL) and then for the PromQL string.
    """
    pattern = "|".join(_RE2_SPECIAL.sub(r"\\\g<0>", i) for i in instances)
    return 'instance=~"' + pattern.replace("\\", "\\\\").replace('"', '\\"') + '"'


def increase_expr(series: tuple[str, str, str], selector: str, step_s: float) -> str:
    """PromQL: the increase of a counter over each step, summed per host (and energy source)."""
    metric, matchers, by = series
    inner = ", ".join(m for m in (matchers, selector) if m)
    expr = f"sum by ({by}) (increase({metric}{{{inner}}}[{_format_step(step_s)}]))"
    if by == "instance" and metric == "" and "rapl" in matchers:
        expr = f'label_replace({expr}, "source", "rapl", "", "")'
    return expr


def parse_duration(text: str) -> float:
    """Seconds in a Prometheus duration (``30d``, ``1h30m``, ``90s``) or a plain number of seconds."""
    text = str(text).strip()
    try:
        value = float(text)
    except ValueError:
        parts = _DURATION.findall(text)
        if not parts or "".join(n + u for n, u in parts) != text:
            raise InputError(f"{text!r} is not a duration; expected e.g. 30d, 12h, 5m or 90s") from None
        value = sum(float(n) * _UNIT_S[u] for n, u in parts)
    if not value > 0 or math.isinf(value):
        raise InputError(f"{text!r} is not a positive duration")
    return value


def _format_step(step_s: float) -> str:
    return f"{step_s:g}s"


class PrometheusClient:
    """A minimal client of the Prometheus HTTP API (urllib, no dependency)."""

    def __init__(self, url: str, timeout_s: float = 60.0) -> None:
        parsed = urllib.parse.urlparse(url)
        if parsed.scheme not in ("http", "https") or not parsed.netloc:
            raise InputError(f"{url!r} is not an http(s) URL of a Prometheus server")
        self.url = url.rstrip("/")
        self.timeout_s = timeout_s

    def _get(self, path: str, params: dict[str, str]) -> object:
        query = urllib.parse.urlencode(params)
        request = urllib.request.Request(f"{self.url}{path}", data=query.encode(),
                                         headers={"Content-Type": "application/x-www-form-urlencoded"})
        try:
            with urllib.request.urlopen(request, timeout=self.timeout_s) as response:
                body = json.load(response)
        except urllib.error.HTTPError as exc:
            try:
                detail = json.load(exc).get("error") or exc.reason
            except (ValueError, AttributeError):
                detail = exc.reason
            raise InputError(f"Prometheus at {self.url} refused the query: {detail}") from None
        except (urllib.error.URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise InputError(f"cannot reach Prometheus at {self.url}: {reason}") from None
        except ValueError:
            raise InputError(f"{self.url} did not answer with Prometheus JSON") from None
        if not isinstance(body, dict) or body.get("status") != "success":
            detail = body.get("error") if isinstance(body, dict) else None
            raise InputError(f"Prometheus at {self.url} answered an error: {detail or body!r}")
        return body["data"]

    def query(self, expr: str, at: float) -> list[dict]:
        """Instant query: ``[{"metric": {...}, "value": [t, "v"]}, ...]``."""
        data = self._get("/api/v1/query", {"query": expr, "time": f"{at:.3f}"})
        return data.get("result", []) if isinstance(data, dict) else []

    def series(self, match: str, start: float, end: float) -> list[dict[str, str]]:
        """Label sets of the series matching ``match`` in [start, end] (``/api/v1/series``).

        Reads the index only, no samples: cheap even over months of a large fleet.
        """
        data = self._get("/api/v1/series", {"match[]": match, "start": f"{start:.3f}", "end": f"{end:.3f}"})
        return [d for d in data if isinstance(d, dict)] if isinstance(data, list) else []

    def query_range(self, expr: str, start: float, end: float, step_s: float) -> dict[tuple, dict[float, float]]:
        """Range query, paged: ``{label items: {t: value}}`` over [start, end]."""
        out: dict[tuple, dict[float, float]] = {}
        page_start = start
        while page_start <= end + 1e-9:
            page_end = min(end, page_start + (MAX_POINTS - 1) * step_s)
            data = self._get("/api/v1/query_range", {
                "query": expr, "start": f"{page_start:.3f}", "end": f"{page_end:.3f}",
                "step": _format_step(step_s),
            })
            for series in (data.get("result", []) if isinstance(data, dict) else []):
                key = tuple(sorted(series.get("metric", {}).items()))
                points = out.setdefault(key, {})
                for t, value in series.get("values", []):
                    number = float(value)
                    if math.isfinite(number):
                        points[round(float(t), 3)] = number
            page_start = page_end + step_s
        return out


@dataclass
class IngestReport:
    """What an ingest wrote."""

    files: list[str] = field(default_factory=list)
    hosts: list[str] = field(default_factory=list)
    records: int = 0
    origin: dict[str, str] = field(default_factory=dict)  # host -> "probe (instance, ...)" | ...
    #: instances that gave no records or only some, with why (never left out silently)
    notes: list[str] = field(default_factory=list)
    #: node_exporter instances of hosts that run the probe too (the probe's figures are used)
    superseded: list[str] = field(default_factory=list)

    def format(self) -> str:
        lines = [f"Ingested {self.records:,} records for {len(self.hosts)} host(s)."]
        lines += [f"  {h}: {self.origin[h]}" for h in self.hosts[:SHOWN_HOSTS]]
        if len(self.hosts) > SHOWN_HOSTS:
            lines.append(f"  ... and {len(self.hosts) - SHOWN_HOSTS:,} more (one file each in the output folder)")
        if self.superseded:
            lines.append(f"{len(self.superseded):,} node_exporter instance(s) of hosts that run the probe: the "
                         f"probe's figures are used (first: {self.superseded[0]})")
        if self.notes:
            lines.append(f"Not ingested or only in part: {len(self.notes):,} instance(s)")
            lines += [f"  {n}" for n in self.notes[:SHOWN_HOSTS]]
            if len(self.notes) > SHOWN_HOSTS:
                lines.append(f"  ... and {len(self.notes) - SHOWN_HOSTS:,} more")
        return "\n".join(lines)


def _host_names(client: PrometheusClient, metric: str, label: str, start: float, end: float) -> dict[str, str]:
    """instance -> host name from an info metric's series over the range (index only, no samples)."""
    names = {}
    for labels in client.series(metric, start, end):
        if labels.get("instance") and labels.get(label):
            names[labels["instance"]] = labels[label]
    return names


def _instances(client: PrometheusClient, series: tuple[str, str, str], start: float, end: float) -> list[str]:
    """Every instance with this counter somewhere in the range (index only, no samples)."""
    metric, matchers, _ = series
    return sorted({labels.get("instance", "") for labels in client.series(f"{metric}{{{matchers}}}", start, end)}
                  - {""})


def _instance_host(instance: str) -> str:
    """Host part of an ``instance`` label (``pc-042.example.org:9100`` -> ``pc-042.example.org``)."""
    if instance.startswith("["):
        return instance[1:].split("]", 1)[0]
    return instance.rsplit(":", 1)[0] if instance.count(":") == 1 else instance


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip(".") or "host"


def write_records(directory: str, host: str, header: dict, records: list[dict], part: int = 1) -> str:
    """Write one host's records as a probe record file (atomically); its path.

    ``part`` > 1 names the file of a host's second (third...) instance apart from the first.
    """
    os.makedirs(directory, exist_ok=True)
    start = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(records[0]["t"] - records[0]["dt"]))
    suffix = f"-{part}" if part > 1 else ""
    path = os.path.join(directory, f"{_safe(host)}-prometheus-{start}{suffix}.jsonl")
    lines = [json.dumps({"kind": "start", "v": 1, "host": host, **header}, separators=(",", ":"))]
    lines += [json.dumps(r, separators=(",", ":")) for r in records]
    fd, tmp = tempfile.mkstemp(dir=directory, suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.unlink(tmp)
        raise
    return path


def increase_records(host: str, busy: dict[float, float], total: dict[float, float],
                     energy: dict[str, dict[float, float]], step_s: float, why: dict[str, str]) -> list[dict]:
    """Records (probe format) from one host's per-step counter increases, as Prometheus gives them.

    Parameters
    ----------
    busy, total
        Increase of the busy and all CPU seconds over the step ending at each time [s].
    energy
        Source -> increase of the energy counter over the step ending at each time [J].
    step_s
        Length of a step [s].
    why
        Reason recorded on records without a measured energy.

    A step the host was on for only part of (switched on or off, or gone, inside it) counts the
    time it was on, ``dt = CPU-seconds of the step / CPUs``, the host's CPUs being the CPU-seconds
    of its fullest step per second of step (rounded; at least 1); a step within
    :data:`FULL_STEP` of that is whole (scrape jitter). A host never on for a whole step keeps
    whole steps (its CPUs are then underestimated).
    """
    records = []
    steps = sorted(set(busy) & set(total))
    fullest = max((total[t] for t in steps if math.isfinite(total[t])), default=0.0)
    cpus = max(1, round(fullest / step_s))
    for t in steps:
        d_busy, d_total = busy[t], total[t]
        if not d_total > 0 or d_busy < 0:
            continue  # the host was not counted in that step
        on = d_total / (cpus * step_s)
        dt = step_s if on >= FULL_STEP else round(on * step_s, 3)
        record = {"host": host, "t": t, "dt": dt, "cpu": round(100.0 * min(d_busy / d_total, 1.0), 2)}
        sources = {source: values[t] for source, values in energy.items() if t in values and values[t] > 0}
        if sources:
            record["src"] = min(sources, key=lambda s: SOURCE_RANK.get(s, len(SOURCE_RANK)))
            record["e_j"] = round(sum(sources.values()), 3)
        else:
            record["src"] = "model"
            record["why"] = why
        record["tz"] = time.localtime(t).tm_gmtoff
        records.append(record)
    return records


def _counted(spans: list[tuple[float, float]], record: dict) -> bool:
    """Is the record's step already counted from another instance of its host?

    ``spans``: (first t, last t) of each instance written. A step inside one is left out (and said
    so): two records of one host at one time would be the same time counted twice, and
    ``auditor assess --samples`` keeps one record per host and time. An exporter that moved
    (another port, a new target name) then loses at most the step it moved in.
    """
    return any(first <= record["t"] <= last for first, last in spans)


def ingest(url: str, range_s: float, output: str, *, step_s: float = 3600.0, end: float | None = None,
           timeout_s: float = 60.0, hosts_per_page: int = HOSTS_PER_PAGE,
           progress: Callable[..., None] | None = None) -> IngestReport:
    """Read the last ``range_s`` seconds from Prometheus and write sample files to ``output``.

    Hosts with our probe's metrics use them; other hosts with node_exporter's use those. Prometheus
    aggregates each host's counters per step (see the module docstring); hosts are read
    ``hosts_per_page`` at a time and written before the next page, so memory is bounded.
    """
    if step_s <= 0:
        raise InputError("the step must be positive")
    if hosts_per_page < 1:
        raise InputError("hosts per page must be at least 1")
    try:
        os.makedirs(output, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot write samples to {output}: {exc.strerror or exc}") from None
    client = PrometheusClient(url, timeout_s)
    end = time.time() if end is None else end
    start = end - range_s + step_s  # the first step covers [end - range, end - range + step]
    report = IngestReport()
    spans: dict[str, list[tuple[float, float]]] = {}  # host -> (first, last) t of each instance written
    for origin, series, info, label in (
        ("probe", PROBE_SERIES, "auditor_probe_info", "host"),
        ("node_exporter", NODE_SERIES, "node_uname_info", "nodename"),
    ):
        names = _host_names(client, info, label, end - range_s, end)
        instances = _instances(client, series["busy"], end - range_s, end)
        why = {"prometheus": f"no energy counter in {origin} metrics"}
        for first in range(0, len(instances), hosts_per_page):
            page = instances[first:first + hosts_per_page]
            if progress:
                progress(f"ingest {origin} hosts", first, len(instances))
            selector = instance_matcher(page)
            got = {kind: client.query_range(increase_expr(series[kind], selector, step_s), start, end, step_s)
                   for kind in ("busy", "total", "energy")}
            totals = {dict(k).get("instance"): v for k, v in got["total"].items()}
            by_instance: dict[str, dict[str, dict[float, float]]] = {}
            for key, values in got["energy"].items():
                labels = dict(key)
                by_instance.setdefault(labels.get("instance", ""), {})[labels.get("source", "rapl")] = values
            answered = {dict(key).get("instance", ""): values for key, values in got["busy"].items()}
            for instance in page:
                host = names.get(instance) or _instance_host(instance)
                if host in report.origin and not report.origin[host].startswith(origin):
                    report.superseded.append(instance)
                    continue
                if instance not in answered or instance not in totals:
                    report.notes.append(f"{host} ({origin} {instance}): no increase in the range "
                                        "(fewer than two samples in every step)")
                    continue
                records = increase_records(host, answered[instance], totals[instance],
                                           by_instance.get(instance, {}), step_s, why)
                seen = spans.setdefault(host, [])
                kept = [r for r in records if not _counted(seen, r)]
                if len(kept) < len(records):
                    report.notes.append(f"{host} ({origin} {instance}): {len(records) - len(kept):,} step(s) "
                                        "left out, already counted from another instance of the host")
                if not kept:
                    if not records:
                        report.notes.append(f"{host} ({origin} {instance}): no step with CPU time counted "
                                            "(a single sample, or counters that never grew)")
                    continue
                seen.append((kept[0]["t"], kept[-1]["t"]))
                first = host not in report.origin
                report.origin[host] = (f"{origin} ({instance})" if first
                                       else report.origin[host][:-1] + f", {instance})")
                header = {"source": "prometheus", "url": url, "step": step_s, "origin": f"{origin} ({instance})"}
                report.files.append(write_records(output, host, header, kept, part=len(seen)))
                if first:
                    report.hosts.append(host)
                report.records += len(kept)
            del got, totals, by_instance, answered
    report.hosts.sort()
    report.files.sort()
    return report
