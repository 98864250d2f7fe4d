"""Long tables and lists rendered on demand, so a dashboard's DOM stays small (EcoIndex lever).

:func:`lazy_details` puts the rows of a table (or the items of a list) in a ``<template>`` inside a
collapsed ``<details>``: template content is inert and not part of the document's DOM until it is
used. :data:`LAZY_JS` (one small inline script, allowed by the page's Content-Security-Policy
through its hash) copies the rows in when the reader opens the details, before printing, and when
a link points to an element still in a template. The table keeps its ``<caption>``/``<th>``
semantics; the data stay in the file (and in the exports and ``auditor factors``).
"""

from __future__ import annotations

import html
import re

LAZY_JS = (
    "(function(){function fill(d){var t=d.querySelector('template[data-into]');if(!t)return;"
    "d.querySelector(t.getAttribute('data-into')).appendChild(t.content.cloneNode(true));t.remove();}"
    "var all=document.querySelectorAll('details.lazy');"
    "all.forEach(function(d){d.addEventListener('toggle',function(){if(d.open)fill(d);});});"
    "window.addEventListener('beforeprint',function(){all.forEach(function(d){fill(d);d.open=true;});});"
    "document.addEventListener('click',function(v){var a=v.target.closest&&v.target.closest('a[href^=\"#\"]');"
    "if(!a)return;var id=a.getAttribute('href').slice(1);if(!id||document.getElementById(id))return;"
    "all.forEach(function(d){var t=d.querySelector('template[data-into]');"
    "if(t&&t.content.getElementById(id)){fill(d);d.open=true;}});});})();"
)
_CONTAINERS = {"tbody": re.compile(r"(<tbody>)(.*)(</tbody>)", re.S),
               "ol": re.compile(r"(<ol\b[^>]*>)(.*)(</ol>)", re.S)}


def lazy_details(summary: str, body: str, container: str = "tbody") -> str:
    """A collapsed ``<details>`` whose ``container`` content (``tbody`` or ``ol``) loads on open.

    Parameters
    ----------
    summary
        Plain text of the ``<summary>`` (escaped here).
    body
        HTML holding exactly one ``container`` element, whose content moves into a template.
    """
    match = _CONTAINERS[container].search(body)
    if match is None:
        raise ValueError(f"no <{container}> in the body")
    emptied = body[:match.start()] + match.group(1) + match.group(3) + body[match.end():]
    template = f'<template data-into="{container}">{match.group(2)}</template>'
    return (f'<details class="lazy"><summary>{html.escape(summary)}</summary>'
            f"{emptied}{template}</details>")
