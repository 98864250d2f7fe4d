"""The probe's loop: sample, write a record, serve /metrics, sleep; until stopped.

One thread. The loop waits for the next sampling deadline with ``sigtimedwait`` (stop signals),
or, with the exporter, with ``select`` on its socket and a self-pipe woken by signals. Deadlines are on the monotonic
clock, so a wall-clock jump never shortens, lengthens or reverses an interval. ``SIGTERM`` or
``SIGINT`` end the loop: the partial interval is written, the file is fsynced, exit code 0.
"""

from __future__ import annotations

import math
import os
import select
import signal
import sys
import time

from probes import __version__
from probes.records import RecordWriter, check_directory
from probes.sampler import IO_PERIOD_S, default_sampler, interval_record
from probes.sources import Sources


class ProbeOptions:
    """Choices of one probe run (see ``python -m probes run --help``); seconds and bytes."""

    def __init__(self, interval_s: float = 60.0, duration_s: float | None = None,
                 output: str = "probe-data", prometheus: tuple[str, int] | None = None,
                 host: str = "", fsync_interval_s: float = 60.0,
                 rotate_bytes: int = 16 * 1024 * 1024, rotate_age_s: float = 86400.0,
                 model_watts: tuple[float, float] | None = None) -> None:
        self.interval_s = interval_s
        self.duration_s = duration_s
        self.output = output
        self.prometheus = prometheus
        self.host = host
        self.fsync_interval_s = fsync_interval_s
        self.rotate_bytes = rotate_bytes
        self.rotate_age_s = rotate_age_s
        self.model_watts = model_watts


_SIGNALS = (signal.SIGTERM, signal.SIGINT)


class _Stop:
    """Waits for the next deadline, a stop signal or (with the exporter) a scrape.

    - Linux without the exporter: SIGTERM and SIGINT are blocked and awaited with
      ``sigtimedwait``: one system call per wait, and a signal is taken only between two
      records, never in the middle of one.
    - POSIX with the exporter (or without ``sigtimedwait``, e.g. macOS): ``select`` on the
      listening socket and on a self-pipe that the signal handlers write to.
    - Elsewhere (Windows): the handlers set a flag; waits are cut into slices of at most
      :data:`POLL_S` so the flag is seen soon.
    """

    POLL_S = 0.5

    def __init__(self, server=None) -> None:
        self.requested = False
        self.server = server
        self._old = {signum: signal.getsignal(signum) for signum in _SIGNALS}
        if server is None and hasattr(signal, "sigtimedwait") and hasattr(signal, "pthread_sigmask"):
            self.mode = "sigwait"
            signal.pthread_sigmask(signal.SIG_BLOCK, _SIGNALS)
            return
        for signum in _SIGNALS:
            signal.signal(signum, self._handle)
        self._fds = [server.fileno()] if server is not None else []
        if os.name == "posix":
            self.mode = "pipe"
            self.read_fd, self.write_fd = os.pipe()
            os.set_blocking(self.read_fd, False)
            os.set_blocking(self.write_fd, False)
            self._old_wakeup = signal.set_wakeup_fd(self.write_fd)
            self._fds.append(self.read_fd)
        else:
            self.mode = "poll"

    def _handle(self, signum, frame) -> None:
        self.requested = True

    def wait(self, timeout_s: float) -> None:
        """Return at the timeout, on a stop signal, or after answering one scrape."""
        if self.mode == "sigwait":
            if signal.sigtimedwait(_SIGNALS, timeout_s) is not None:
                self.requested = True
            return
        if self.mode == "poll":
            timeout_s = min(timeout_s, self.POLL_S)
            if not self._fds:
                time.sleep(timeout_s)
                return
        ready = select.select(self._fds, [], [], timeout_s)[0]
        if self.mode == "pipe" and self.read_fd in ready:
            try:
                while os.read(self.read_fd, 512):
                    pass
            except OSError:
                pass
        if self.server is not None and self.server.fileno() in ready:
            self.server.handle_request()

    def close(self) -> None:
        if self.mode == "sigwait":
            for signum in _SIGNALS:  # a signal still pending must not kill the exiting probe
                signal.signal(signum, self._handle)
            signal.pthread_sigmask(signal.SIG_UNBLOCK, _SIGNALS)
        elif self.mode == "pipe":
            signal.set_wakeup_fd(self._old_wakeup)
            os.close(self.read_fd)
            os.close(self.write_fd)
        for signum, handler in self._old.items():
            signal.signal(signum, handler)


def local_hostname() -> str:
    """This host's name as ``hostname`` prints it (``uname``; the socket module only elsewhere)."""
    if hasattr(os, "uname"):
        return os.uname().nodename
    import socket

    return socket.gethostname()


#: Waits of one clock tick allowed for the last record when a stop comes within a tick of the
#: previous sample (the CPU counters, in ticks of 10 ms on Linux, have not moved yet).
FINAL_TRIES = 5


def final_record(sampler, previous, current, host: str, sources, io_previous, *, tick_s: float | None = None,
                 sleep=time.sleep):
    """The last interval's record, waiting up to :data:`FINAL_TRIES` clock ticks for the counters.

    A stop right after a sample leaves an interval shorter than one CPU clock tick, which
    :func:`probes.sampler.interval_record` cannot measure (``None``); without a wait the run would
    end on an ordinary record and lose the last interval with its memory and disk reading.
    Returns ``(sample, record)``; the record stays None when the counters never move (a frozen
    or restarted host).
    """
    tick = tick_s if tick_s is not None else 1.0 / getattr(sampler, "ticks_per_second", 100.0)
    record = None
    for _ in range(FINAL_TRIES):
        sleep(tick)
        current = sampler.read(io=True)
        record = interval_record(previous, current, host, sources, io_previous)
        if record is not None:
            break
    return current, record


def run_probe(options: ProbeOptions, *, sampler=None, sources=None, write=os.write, err=sys.stderr) -> int:
    """Run the probe until its duration ends or it is stopped; the exit code.

    Raises
    ------
    probes.records.OutputError
        The output directory cannot be written (the CLI turns it into one line, exit code 2).
    OSError
        The exporter cannot listen on the address given.
    """
    host = options.host or local_hostname()
    check_directory(options.output)
    sources = sources if sources is not None else Sources()
    sampler = sampler if sampler is not None else default_sampler(sources)
    status = sources.status()
    header = {
        "interval": options.interval_s,
        "sources": status,
        "virtual": sources.virtual,
        "cpus": os.cpu_count(),
        "probe": __version__,
    }
    writer = RecordWriter(
        options.output, host, header, max_bytes=options.rotate_bytes,
        max_age_s=options.rotate_age_s, fsync_interval_s=options.fsync_interval_s, write=write,
    )
    server = state = None
    if options.prometheus is not None:
        from probes.exporter import ProbeState, make_server

        state = ProbeState(host, __version__, sampler, sources, options.model_watts)
        server = make_server(options.prometheus[0], options.prometheus[1], state)
    stop = _Stop(server)
    reported_drop = False
    try:
        io_every = max(1, math.ceil(IO_PERIOD_S / options.interval_s - 1e-9))
        count = 0
        previous = io_previous = sampler.read()
        start = previous.mono
        end = start + options.duration_s if options.duration_s else None
        deadline = start + options.interval_s
        if state is not None:
            state.refresh()
        while True:
            now = time.monotonic()
            target = deadline if end is None else min(deadline, end)
            if now < target and not stop.requested:
                stop.wait(target - now)
                continue
            count += 1
            last = stop.requested or (end is not None and time.monotonic() >= end - 1e-6)
            current = sampler.read(io=last or count % io_every == 0)
            record = interval_record(previous, current, host, sources, io_previous)
            if record is None and last:
                current, record = final_record(sampler, previous, current, host, sources, io_previous)
            if current.io or record is None:
                io_previous = current
            if record is not None and not writer.write(record) and not reported_drop:
                print(f"warning: disk full: dropping records (writing to {options.output})", file=err)
                reported_drop = True
            if writer.dropped == 0:
                reported_drop = False
            previous = current
            if state is not None:
                state.update(record, writer.written, writer.dropped)
            if stop.requested or (end is not None and current.mono >= end - 1e-6):
                break
            deadline += options.interval_s
            if deadline <= current.mono:  # suspended or starved: skip missed deadlines
                deadline = current.mono + options.interval_s
    finally:
        writer.close()
        stop.close()
        if server is not None:
            server.server_close()
    return 0
