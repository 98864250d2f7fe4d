"""Web services: EcoIndex of pages, page measurements (live or HAR), RGESN checks, yearly footprint.

- :mod:`auditor.web.ecoindex`: the EcoIndex method (score, grade, GHG and water per view);
- :mod:`auditor.web.pages`: page records (from :mod:`probes.web`) -> measured pages with the
  EcoIndex fields, third-party domains and RGESN checks;
- :mod:`auditor.web.footprint`: yearly footprint and sobriety score of ``web_service`` rows;
- :mod:`auditor.web.cli`: ``auditor web score`` and ``auditor web measure``.

docs/web.md describes the method and credits EcoIndex.
"""

#: Inventory category of web services (a row per service, page measurements in its columns).
WEB_SERVICE_CATEGORY = "web_service"
