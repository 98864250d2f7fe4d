"""``python -m probes``: run the probe, summarise its records, print this host's facts.

Standard library only (argparse), so that starting the probe costs almost nothing; ``auditor
probe ...`` delegates here. Bad input prints one line ``error: ...`` and exits with code 2.
"""

from __future__ import annotations

import argparse
import sys

DEFAULT_INTERVAL_S = 60.0
DEFAULT_OUTPUT = "probe-data"


def _positive_in(unit: str):
    """An argparse type: a positive finite number of ``unit`` (named in the message)."""
    def parse(text: str) -> float:
        try:
            value = float(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"{text!r} is not a number of {unit}") from None
        if not value > 0 or value == float("inf"):
            raise argparse.ArgumentTypeError(f"{text!r} must be a positive number of {unit}")
        return value
    return parse


_positive = _positive_in("seconds")


def _fsync_interval(text: str) -> float:
    value = _positive(text)
    if value > 60:
        raise argparse.ArgumentTypeError("the file is fsynced at least once a minute: at most 60")
    return value


def _address(text: str) -> tuple[str, int]:
    from probes.exporter import parse_address

    try:
        return parse_address(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def _watts(text: str) -> tuple[float, float]:
    try:
        idle, active = (float(x) for x in text.split(","))
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}; expected IDLE_W,ACTIVE_W (e.g. 40,120)") from None
    if not 0 <= idle <= active:
        raise argparse.ArgumentTypeError("expected 0 <= IDLE_W <= ACTIVE_W")
    return idle, active


def build_parser(prog: str = "python -m probes") -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=prog,
        description="Near-zero-overhead energy and facts probe (see docs/probes.md).",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    run = commands.add_parser(
        "run", help="sample counters and write one record per interval",
        description="Sample CPU, memory, disk, network and energy counters; write one record per "
                    "interval to crash-safe, rotating files. Example: python -m probes run "
                    "--interval 60 --output /var/lib/auditor-probe",
    )
    run.add_argument("--interval", type=_positive, default=DEFAULT_INTERVAL_S, metavar="SECONDS",
                     help=f"seconds between records, fractions allowed (default {DEFAULT_INTERVAL_S:g})")
    run.add_argument("--duration", type=_positive, metavar="SECONDS",
                     help="stop after this many seconds (default: run until SIGTERM)")
    run.add_argument("--output", default=DEFAULT_OUTPUT, metavar="DIR",
                     help=f"directory of the record files (default ./{DEFAULT_OUTPUT})")
    run.add_argument("--prometheus", type=_address, metavar="HOST:PORT",
                     help="serve /metrics there; a bare PORT listens on 127.0.0.1 only")
    run.add_argument("--host", default="", help="host name written in records (default: this host's)")
    run.add_argument("--fsync-interval", type=_fsync_interval, default=60.0, metavar="SECONDS",
                     help="longest time between two fsyncs, at most 60 (default 60)")
    run.add_argument("--rotate-size", type=_positive_in("MiB"), default=16.0, metavar="MB",
                     help="start a new file at this size in MiB (default 16)")
    run.add_argument("--rotate-age", type=_positive_in("hours"), default=24.0, metavar="HOURS",
                     help="start a new file after this many hours (default 24)")
    run.add_argument("--model-watts", type=_watts, metavar="IDLE_W,ACTIVE_W",
                     help="with --prometheus and no meter, export a linear power estimate "
                          "between these powers (the auditor applies its own model to records)")

    summary = commands.add_parser("summary", help="summarise record files",
                                  description="Records, hosts, period, mean utilisation, measured "
                                              "energy and records per energy source.")
    summary.add_argument("paths", nargs="+", metavar="DIR")
    summary.add_argument("--format", choices=("text", "json"), default="text")

    facts = commands.add_parser("facts", help="this host as one inventory row",
                                description="Print (or write) this host's facts as one inventory "
                                            "row in the canonical columns (docs/inventory.md).")
    facts.add_argument("-o", "--output", metavar="FILE",
                       help="CSV (appended to if it has the same columns) or .json file")
    facts.add_argument("--country", help="country to write in the row (e.g. FR)")
    return parser


def _run(args, err) -> int:
    from probes.records import OutputError
    from probes.runner import ProbeOptions, run_probe

    options = ProbeOptions(
        interval_s=args.interval, duration_s=args.duration, output=args.output,
        prometheus=args.prometheus, host=args.host, fsync_interval_s=args.fsync_interval,
        rotate_bytes=int(args.rotate_size * 1024 * 1024), rotate_age_s=args.rotate_age * 3600.0,
        model_watts=args.model_watts,
    )
    try:
        return run_probe(options, err=err)
    except OutputError as exc:
        print(f"error: {exc}", file=err)
        return 2
    except OSError as exc:
        if args.prometheus is not None and exc.filename is None:
            host, port = args.prometheus
            print(f"error: cannot listen on {host}:{port}: {exc.strerror or exc}", file=err)
            return 2
        raise


def _summary(args, out, err) -> int:
    import json

    from probes.records import format_summary, summarise

    try:
        result = summarise(args.paths)
    except FileNotFoundError as exc:
        print(f"error: {exc.filename}: no such file or directory", file=err)
        return 2
    if args.format == "json":
        out.write(json.dumps(result, indent=1) + "\n")
    else:
        out.write(format_summary(result))
    return 0


def _facts(args, out, err) -> int:
    from probes.facts import collect, write_facts

    row = collect(country=args.country)
    try:
        done = write_facts(row, args.output, out)
    except (OSError, ValueError) as exc:
        print(f"error: {exc}", file=err)
        return 2
    if done:
        print(done, file=err)
    return 0


def main(argv: list[str] | None = None, out=None, err=None, prog: str = "python -m probes") -> int:
    """Run the probe command line; the exit code."""
    out = out or sys.stdout
    err = err or sys.stderr
    try:
        args = build_parser(prog).parse_args(argv)
    except SystemExit as exc:  # argparse already printed its message
        return int(exc.code or 0)
    try:
        if args.command == "run":
            return _run(args, err)
        if args.command == "summary":
            return _summary(args, out, err)
        return _facts(args, out, err)
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
