"""The probe: a near-zero-overhead energy and facts probe for servers and workstations.

Runs on the audited machines. Imports only the standard library (and psutil where ``/proc`` is
missing); never pandas, pint, plotly or any other part of this project. See docs/probes.md.
"""

__version__ = "0.1.0"
