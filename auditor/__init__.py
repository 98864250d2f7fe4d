"""The digital-sobriety footprint auditor: inventory import, footprint engine, scores, CLI."""

__version__ = "0.1.0"
