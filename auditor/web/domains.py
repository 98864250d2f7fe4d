"""Registrable domain of a host name ("eTLD+1"), offline, with a small list of public suffixes.

Heuristic (documented in docs/web.md): IP addresses and single-label hosts are their own domain;
otherwise the last two labels, or the last three when the last two form one of the multi-label
public suffixes below. The suffixes are a small excerpt of the Public Suffix List
(https://publicsuffix.org/list/, Mozilla Public License 2.0), chosen for the countries the tool is
used in; a suffix missing here makes two sites under it look like one party (never the reverse).
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

#: Multi-label public suffixes (excerpt of the Public Suffix List, MPL-2.0).
MULTI_LABEL_SUFFIXES: frozenset[str] = frozenset({
    # France (ICANN section of the PSL)
    "gouv.fr", "asso.fr", "nom.fr", "prd.fr", "tm.fr", "com.fr", "presse.fr", "avocat.fr",
    # United Kingdom
    "co.uk", "org.uk", "gov.uk", "ac.uk", "ltd.uk", "plc.uk", "me.uk", "net.uk", "nhs.uk",
    "police.uk", "sch.uk",
    # Belgium, Switzerland, Austria, Spain, Italy, Poland, Portugal (government and common ones)
    "ac.be", "admin.ch", "gv.at", "co.at", "or.at", "gob.es", "com.es", "org.es", "gov.it",
    "gov.pl", "com.pl", "org.pl", "gov.pt", "com.pt",
    # elsewhere, frequent in web services
    "com.au", "gov.au", "co.nz", "co.jp", "com.br", "gov.br", "co.za", "com.cn", "gc.ca",
    # private section: hosting platforms where each customer is a separate party
    "github.io", "gitlab.io", "netlify.app", "vercel.app", "herokuapp.com", "pages.dev",
    "web.app", "firebaseapp.com", "azurewebsites.net", "cloudfront.net", "blogspot.com",
    "wordpress.com",
})


@lru_cache(maxsize=4096)
def registrable_domain(host: str) -> str:
    """Registrable domain of a host name (lower case, no port); '' for an empty host."""
    host = (host or "").strip().strip(".").lower()
    if not host:
        return ""
    try:
        ipaddress.ip_address(host.strip("[]"))
        return host
    except ValueError:
        pass
    labels = host.split(".")
    if len(labels) <= 2:
        return host
    if ".".join(labels[-2:]) in MULTI_LABEL_SUFFIXES:
        return ".".join(labels[-3:])
    return ".".join(labels[-2:])


def domain_of_url(url: str) -> str:
    """Registrable domain of a URL's host; ``file`` URLs give ``'(local file)'``."""
    parts = urlsplit(url)
    if parts.scheme == "file":
        return "(local file)"
    return registrable_domain(parts.hostname or "")
