"""Prometheus ``/metrics`` for the probe: its counters and power, in the text exposition format.

Served from the probe's own loop (no thread), by a minimal responder on a plain socket: the loop
waits on the listening socket and the sampling deadline together. Listens on loopback unless an
address is given explicitly. Format: Prometheus "Exposition formats", text format version 0.0.4
(https://prometheus.io/docs/instrumenting/exposition_formats/); metric and unit naming after
"Metric and label naming" (https://prometheus.io/docs/practices/naming/): base units (seconds,
bytes, joules, watts), ``_total`` on counters, ``_ratio`` for 0-1 fractions.
"""

from __future__ import annotations

import socket

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
PREFIX = "auditor_probe_"


def _escape(value: object) -> str:
    return str(value).replace("\\", "\\\\").replace("\n", "\\n").replace('"', '\\"')


def _labels(labels: dict[str, object]) -> str:
    if not labels:
        return ""
    return "{" + ",".join(f'{k}="{_escape(v)}"' for k, v in labels.items()) + "}"


def _number(value: float) -> str:
    if isinstance(value, int):
        return str(value)
    return repr(float(value))


class ProbeState:
    """What the exporter shows.

    Counters are read fresh at every scrape (one sample costs well under a millisecond), so
    Prometheus sees them move even when it scrapes more often than the probe writes records;
    energy is accumulated between scrapes by the same source logic as the records. Utilisation
    and power are those of the last record's interval.
    """

    def __init__(self, host: str, version: str, sampler, sources,
                 model_watts: tuple[float, float] | None = None) -> None:
        self.host = host
        self.version = version
        self.sampler = sampler
        self.sources = sources
        self.virtual = bool(getattr(sources, "virtual", False))
        self.status = sources.status() if sources is not None else {}
        self.ticks_per_second = float(getattr(sampler, "ticks_per_second", 100.0))
        self.model_watts = model_watts
        self.sample = None
        self.record: dict | None = None
        self.energy_j: dict[str, float] = {}
        self.written = 0
        self.dropped = 0

    def update(self, record: dict | None, written: int, dropped: int) -> None:
        """After each interval: its record (or None) and the writer's counts."""
        self.written, self.dropped = written, dropped
        if record is not None:
            self.record = record

    def refresh(self) -> None:
        """Read the counters now; add the energy used since the previous reading."""
        current = self.sampler.read()
        previous, self.sample = self.sample, current
        if previous is None or self.sources is None:
            return
        dt = current.mono - previous.mono
        if dt <= 0:
            return
        source, energy, _ = self.sources.energy(previous.energy, current.energy, dt)
        if energy is not None:
            self.energy_j[source] = self.energy_j.get(source, 0.0) + energy

    def power_w(self) -> tuple[str, float] | None:
        """Power over the last interval: measured, or the linear model if one was given."""
        record = self.record
        if record is None:
            return None
        if "e_j" in record:
            return record["src"], float(record["e_j"]) / float(record["dt"])
        if self.model_watts is not None and "cpu" in record:
            idle, active = self.model_watts
            return "model", idle + float(record["cpu"]) / 100.0 * (active - idle)
        return None

    def render(self) -> str:
        self.refresh()
        out: list[str] = []

        def metric(name: str, kind: str, help_text: str, values: list[tuple[dict, float]]) -> None:
            if not values:
                return
            out.append(f"# HELP {PREFIX}{name} {help_text}")
            out.append(f"# TYPE {PREFIX}{name} {kind}")
            out.extend(f"{PREFIX}{name}{_labels(labels)} {_number(v)}" for labels, v in values)

        metric("info", "gauge", "Probe identity; the value is always 1.",
               [({"host": self.host, "version": self.version,
                  "virtual": "true" if self.virtual else "false"}, 1)])
        record, sample = self.record, self.sample
        source = record["src"] if record else "model"
        why = ";".join(f"{k} {v}" for k, v in (record or {}).get("why", {}).items()) if record else \
            ";".join(f"{k} {v}" for k, v in self.status.items() if v != "ok")
        metric("energy_source_info", "gauge",
               "Energy source of the last interval and why better sources were not used.",
               [({"source": source, "why": why}, 1)])
        if sample is not None:
            hz = self.ticks_per_second
            busy = sample.cpu_busy / hz
            idle = (sample.cpu_total - sample.cpu_busy) / hz
            metric("cpu_seconds_total", "counter", "CPU time of all CPUs since boot, by mode.",
                   [({"mode": "busy"}, busy), ({"mode": "idle"}, idle)])
            metric("cpus", "gauge", "Logical CPUs.", [({}, len(sample.cores) or 1)])
            metric("memory_total_bytes", "gauge", "Physical memory.", [({}, sample.mem_total_kb * 1024)])
            metric("memory_used_bytes", "gauge", "Memory in use (total minus available).",
                   [({}, (sample.mem_total_kb - sample.mem_available_kb) * 1024)])
            metric("disk_read_bytes_total", "counter", "Bytes read from whole disks since boot.",
                   [({}, sum(v[0] for v in sample.disks.values()))])
            metric("disk_written_bytes_total", "counter", "Bytes written to whole disks since boot.",
                   [({}, sum(v[1] for v in sample.disks.values()))])
            metric("network_receive_bytes_total", "counter", "Bytes received (loopback excluded).",
                   [({}, sum(v[0] for v in sample.nets.values()))])
            metric("network_transmit_bytes_total", "counter", "Bytes sent (loopback excluded).",
                   [({}, sum(v[1] for v in sample.nets.values()))])
        if record is not None and "cpu" in record:
            metric("cpu_utilisation_ratio", "gauge", "CPU utilisation over the last interval (0-1).",
                   [({}, float(record["cpu"]) / 100.0)])
        metric("energy_joules_total", "counter",
               "Energy measured since the probe started, by source (wrap-around handled).",
               [({"source": k}, v) for k, v in sorted(self.energy_j.items())])
        power = self.power_w()
        if power is not None:
            metric("power_watts", "gauge", "Mean power over the last interval, by source.",
                   [({"source": power[0]}, power[1])])
        if record is not None and "bat" in record:
            metric("battery_charge_ratio", "gauge", "Battery charge level (0-1).",
                   [({}, float(record["bat"]) / 100.0)])
        metric("records_written_total", "counter", "Records written to disk.", [({}, self.written)])
        metric("records_dropped_total", "counter", "Records dropped (disk full).", [({}, self.dropped)])
        return "\n".join(out) + "\n"


class MetricsServer:
    """A minimal HTTP/1.1 responder for ``GET /metrics`` on a non-blocking listening socket.

    Written on ``socket`` rather than ``http.server`` to keep the probe small (``http.server``
    pulls in the ``email`` package: about 6 MB more resident memory). One request per
    connection (``Connection: close``); the caller calls :meth:`handle_request` when the socket
    is readable.
    """

    #: Longest wait for a client's request [s]: a slow client cannot hold the probe's loop.
    CLIENT_TIMEOUT_S = 2.0
    MAX_REQUEST_BYTES = 16384

    def __init__(self, address: str, port: int, state: ProbeState) -> None:
        family = socket.AF_INET6 if ":" in address else socket.AF_INET
        self.sock = socket.socket(family, socket.SOCK_STREAM)
        try:
            self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            self.sock.bind((address, port))
            self.sock.listen(16)
        except OSError:
            self.sock.close()
            raise
        self.sock.setblocking(False)
        self.state = state
        self.address = self.sock.getsockname()[:2]

    def fileno(self) -> int:
        return self.sock.fileno()

    def _reply(self, conn: socket.socket, status: str, body: bytes, content_type: str, head: bool) -> None:
        header = (f"HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\n"
                  f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n").encode()
        conn.sendall(header if head else header + body)

    def handle_request(self) -> None:
        """Answer one pending connection, if any."""
        try:
            conn, _ = self.sock.accept()
        except (BlockingIOError, InterruptedError):
            return
        with conn:
            try:
                conn.settimeout(self.CLIENT_TIMEOUT_S)
                data = b""
                while b"\r\n\r\n" not in data and len(data) < self.MAX_REQUEST_BYTES:
                    chunk = conn.recv(4096)
                    if not chunk:
                        break
                    data += chunk
                parts = data.split(b"\r\n", 1)[0].split()
                if len(parts) < 2 or parts[0] not in (b"GET", b"HEAD"):
                    self._reply(conn, "405 Method Not Allowed", b"", "text/plain", False)
                    return
                head = parts[0] == b"HEAD"
                path = parts[1].split(b"?", 1)[0]
                if path == b"/metrics":
                    self._reply(conn, "200 OK", self.state.render().encode(), CONTENT_TYPE, head)
                elif path == b"/":
                    self._reply(conn, "200 OK", b'<html><body><a href="/metrics">metrics</a></body></html>\n',
                                "text/html; charset=utf-8", head)
                else:
                    self._reply(conn, "404 Not Found", b"not found\n", "text/plain", head)
            except OSError:
                return  # the client went away or was too slow: nothing to do

    def server_close(self) -> None:
        self.sock.close()


def make_server(address: str, port: int, state: ProbeState) -> MetricsServer:
    """The ``/metrics`` server on ``address:port``; the caller drives it."""
    return MetricsServer(address, port, state)


def parse_address(text: str) -> tuple[str, int]:
    """``HOST:PORT``, ``:PORT`` or ``PORT`` -> (host, port); the host defaults to 127.0.0.1."""
    host, sep, port = text.rpartition(":")
    if not sep:
        host, port = "", text
    host = host.strip("[]") or "127.0.0.1"
    try:
        number = int(port)
    except ValueError:
        raise ValueError(f"{text!r} is not HOST:PORT") from None
    if not 0 < number < 65536:
        raise ValueError(f"port {number} is out of range")
    return host, number
