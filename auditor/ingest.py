"""Read CPU utilisation and energy from a Prometheus server into probe record files.

A site that already runs Prometheus (or a store speaking its HTTP API: Thanos, VictoriaMetrics,
Mimir...) needs no new agent: ``auditor ingest --prometheus URL --range 30d -o samples/``
reads, per host, the counters of our probe (``auditor_probe_*``) or of node_exporter
(``node_cpu_seconds_total``, and ``node_rapl_*_joules_total`` where present), and writes sample
files in the probe's own record format, which ``auditor assess --samples`` reads.

Method. For each series the counter's value is read at every step of the range (``query_range``
returns the last sample at or before each step); the record of a step is the increase between
two consecutive steps: utilisation = busy seconds / all seconds, energy = joules. A counter that
went down restarted (reboot, probe restart): the step is skipped for CPU; an energy counter
counts from zero again. A missing step (no sample within Prometheus' look-back) is a gap: the
host was off or unreachable. Ranges are fetched in pages of at most :data:`MAX_POINTS` steps.

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
from dataclasses import dataclass, field

from auditor.errors import InputError
from probes.sources import SOURCE_ORDER

SOURCE_RANK = {name: i for i, name in enumerate(SOURCE_ORDER)}

#: Steps per range-query page: under Prometheus' limit of 11,000 points per series (api.go).
MAX_POINTS = 10_000

_DURATION = re.compile(r"(\d+(?:\.\d+)?)(ms|s|m|h|d|w|y)")
_UNIT_S = {"ms": 0.001, "s": 1.0, "m": 60.0, "h": 3600.0, "d": 86400.0, "w": 604800.0, "y": 31536000.0}

PROBE_QUERIES = {
    "busy": 'sum by (instance) (auditor_probe_cpu_seconds_total{mode="busy"})',
    "total": "sum by (instance) (auditor_probe_cpu_seconds_total)",
    "energy": "sum by (instance, source) (auditor_probe_energy_joules_total)",
}
NODE_QUERIES = {
    "busy": 'sum by (instance) (node_cpu_seconds_total{mode!~"idle|iowait|steal"})',
    "total": 'sum by (instance) (node_cpu_seconds_total{mode!="steal"})',
    "energy": 'label_replace(sum by (instance) ({__name__=~"node_rapl_(package|dram)_joules_total"}),'
              ' "source", "rapl", "", "")',
}


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
    origin: dict[str, str] = field(default_factory=dict)  # host -> "probe" | "node_exporter"

    def format(self) -> str:
        lines = [f"Ingested {self.records:,} records for {len(self.hosts)} host(s)."]
        lines += [f"  {h}: {self.origin[h]}" for h in self.hosts]
        return "\n".join(lines)


def _host_names(client: PrometheusClient, metric: str, label: str, at: float, range_s: float) -> dict[str, str]:
    """instance -> host name from an info metric, over the whole range."""
    expr = f"max by (instance, {label}) (last_over_time({metric}[{int(math.ceil(range_s))}s]))"
    names = {}
    for series in client.query(expr, at):
        labels = series.get("metric", {})
        if labels.get("instance") and labels.get(label):
            names[labels["instance"]] = labels[label]
    return names


def _instance_host(instance: str) -> str:
    """Host part of an ``instance`` label (``pc-042.example.org:9100`` -> ``pc-042.example.org``)."""
    if instance.startswith("["):
        return instance[1:].split("]", 1)[0]
    return instance.rsplit(":", 1)[0] if instance.count(":") == 1 else instance


def series_records(host: str, busy: dict[float, float], total: dict[float, float],
                   energy: dict[str, dict[float, float]], why: dict[str, str]) -> list[dict]:
    """Records (probe format) from one host's counter values at each step.

    Parameters
    ----------
    busy, total
        CPU seconds (busy, all) at each step time [s].
    energy
        Source -> cumulative energy [J] at each step time.
    why
        Reason recorded on records without a measured energy.
    """
    times = sorted(set(busy) & set(total))
    records = []
    for before, after in zip(times, times[1:], strict=False):
        d_busy = busy[after] - busy[before]
        d_total = total[after] - total[before]
        if d_total <= 0 or d_busy < 0 or d_busy > d_total * (1 + 1e-9):
            continue  # counters restarted (reboot) or did not move
        record = {"host": host, "t": after, "dt": round(after - before, 3),
                  "cpu": round(100.0 * min(d_busy / d_total, 1.0), 2)}
        joules, sources = 0.0, []
        for source, values in energy.items():
            if before in values and after in values:
                e0, e1 = values[before], values[after]
                joules += e1 - e0 if e1 >= e0 else e1
                sources.append(source)
        if sources and joules > 0:
            # the probe counts each of its intervals for one source: within a step the energies
            # of several sources add up; the record names the best of them
            record["src"] = min(sources, key=lambda s: SOURCE_RANK.get(s, len(SOURCE_RANK)))
            record["e_j"] = round(joules, 3)
        else:
            record["src"] = "model"
            record["why"] = why
        record["tz"] = time.localtime(after).tm_gmtoff
        records.append(record)
    return records


def _safe(name: str) -> str:
    return "".join(c if c.isalnum() or c in "-_." else "_" for c in name).strip(".") or "host"


def write_records(directory: str, host: str, header: dict, records: list[dict]) -> str:
    """Write one host's records as a probe record file (atomically); its path."""
    os.makedirs(directory, exist_ok=True)
    start = time.strftime("%Y%m%dT%H%M%SZ", time.gmtime(records[0]["t"] - records[0]["dt"]))
    path = os.path.join(directory, f"{_safe(host)}-prometheus-{start}.jsonl")
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


def ingest(url: str, range_s: float, output: str, *, step_s: float = 300.0, end: float | None = None,
           timeout_s: float = 60.0) -> IngestReport:
    """Read the last ``range_s`` seconds from Prometheus and write sample files to ``output``.

    Hosts with our probe's metrics use them; other hosts with node_exporter's use those.
    """
    if step_s <= 0:
        raise InputError("the step must be positive")
    try:
        os.makedirs(output, exist_ok=True)
    except OSError as exc:
        raise InputError(f"cannot write samples to {output}: {exc.strerror or exc}") from None
    client = PrometheusClient(url, timeout_s)
    end = time.time() if end is None else end
    start = end - range_s
    report = IngestReport()
    per_host: dict[str, list[dict]] = {}
    for origin, queries, info, label in (
        ("probe", PROBE_QUERIES, "auditor_probe_info", "host"),
        ("node_exporter", NODE_QUERIES, "node_uname_info", "nodename"),
    ):
        names = _host_names(client, info, label, end, range_s)
        busy = client.query_range(queries["busy"], start, end, step_s)
        total = client.query_range(queries["total"], start, end, step_s)
        energy = client.query_range(queries["energy"], start, end, step_s)
        totals = {dict(k).get("instance"): v for k, v in total.items()}
        by_instance: dict[str, dict[str, dict[float, float]]] = {}
        for key, values in energy.items():
            labels = dict(key)
            by_instance.setdefault(labels.get("instance", ""), {})[labels.get("source", "rapl")] = values
        why = {"prometheus": f"no energy counter in {origin} metrics"}
        for key, values in busy.items():
            instance = dict(key).get("instance", "")
            host = names.get(instance) or _instance_host(instance)
            if host in report.origin or instance not in totals:
                continue  # the probe's figures win over node_exporter's for the same host
            records = series_records(host, values, totals[instance], by_instance.get(instance, {}), why)
            if not records:
                continue
            per_host[host] = records
            report.origin[host] = f"{origin} ({instance})"
    for host, records in sorted(per_host.items()):
        header = {"source": "prometheus", "url": url, "step": step_s, "origin": report.origin[host]}
        report.files.append(write_records(output, host, header, records))
        report.hosts.append(host)
        report.records += len(records)
    return report
