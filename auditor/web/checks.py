"""RGESN criteria a machine can check on one measured page, each ``{id, title, passed, evidence}``.

``id`` is the criterion number of the RGESN 2024 (référentiel général de l'écoconception des
services numériques, Arcep/Arcom with ADEME, DINUM, CNIL and Inria, May 2024); ``passed`` is
True, False, or None when the page record cannot tell (a HAR has no rendered images, a local file
no HTTP headers). Thresholds are data (``auditor/data/web-checks.csv`` and the EcoIndex targets in
``auditor/data/ecoindex.csv``), each with its source; docs/web.md lists what each check looks at.

A check is evidence for an auditor, not a verdict on the criterion: the RGESN asks for a
documented practice, the page only shows whether it is visible from outside.
"""

from __future__ import annotations

import csv
import re
from functools import lru_cache
from importlib.resources import files

from auditor.web.domains import domain_of_url, registrable_domain
from auditor.web.ecoindex import parameters as ecoindex_parameters

#: RGESN 2024 criteria checked, with their short titles (numbers checked against the 2024 text).
CRITERIA: dict[str, str] = {
    "4.1": "no autoplay of videos, sounds or animations",
    "4.4": "the user decides to activate third-party services (no tracker before any interaction)",
    "4.8": "limited number of downloaded fonts",
    "5.1": "image formats suited to the content",
    "6.1": "maximum weight and request limit per screen",
    "6.2": "caching of every content the service controls",
    "6.3": "compression of the resources the service controls",
    "6.4": "images shown at their natural dimensions",
    "6.7": "static resources on the service's own domain",
}
_TEXT_MIME = re.compile(r"^(text/|application/(javascript|x-javascript|ecmascript|json|ld\+json|xml"
                        r"|xhtml\+xml|manifest\+json)|image/svg\+xml)")
_LEGACY_IMAGE = re.compile(r"^image/(jpeg|jpg|pjpeg|png|gif|bmp|x-ms-bmp|tiff)$")
_FONT = re.compile(r"^(font/|application/(font|x-font)|application/vnd\.ms-fontobject)")
_FONT_EXT = re.compile(r"\.(woff2?|ttf|otf|eot)(\?|#|$)", re.I)
_STATIC_TYPES = {"script", "stylesheet", "image", "font", "media"}
_ENCODINGS = ("gzip", "br", "zstd", "deflate", "compress")
MAX_LISTED = 3


@lru_cache(maxsize=1)
def thresholds() -> dict[str, float]:
    """Check thresholds from ``auditor/data/web-checks.csv`` (id -> value)."""
    text = files("auditor.data").joinpath("web-checks.csv").read_text(encoding="utf-8")
    return {row["id"]: float(row["value"]) for row in csv.DictReader(text.splitlines())}


@lru_cache(maxsize=1)
def tracker_domains() -> dict[str, str]:
    """Known tracker domains (``auditor/data/web-trackers.csv``): domain -> owner."""
    text = files("auditor.data").joinpath("web-trackers.csv").read_text(encoding="utf-8")
    return {row["domain"]: row["owner"] for row in csv.DictReader(text.splitlines())}


def tracker_of(url: str) -> str | None:
    """Owner of the known tracker a URL goes to, or None."""
    from urllib.parse import urlsplit

    host = (urlsplit(url).hostname or "").lower()
    known = tracker_domains()
    labels = host.split(".")
    for k in range(len(labels) - 1):
        owner = known.get(".".join(labels[k:]))
        if owner:
            return owner
    return None


def _check(cid: str, passed: bool | None, evidence: str) -> dict:
    return {"id": cid, "title": CRITERIA[cid], "passed": passed, "evidence": evidence}


def _listed(urls: list[str]) -> str:
    shown = ", ".join(_short(u) for u in urls[:MAX_LISTED])
    return shown + (f" and {len(urls) - MAX_LISTED} more" if len(urls) > MAX_LISTED else "")


def _short(url: str, width: int = 70) -> str:
    return url if len(url) <= width else url[: width - 3] + "..."


def _is_static(request: dict) -> bool:
    mime = request.get("mime", "")
    return (request.get("type") in _STATIC_TYPES or mime.startswith(("image/", "font/", "text/css"))
            or "javascript" in mime)


def _cacheable(headers: dict[str, str]) -> bool:
    control = headers.get("cache-control", "").lower()
    if "no-store" in control:
        return False
    max_age = re.search(r"max-age\s*=\s*(\d+)", control)
    if max_age and int(max_age.group(1)) > 0 or "immutable" in control:
        return True
    return any(h in headers for h in ("expires", "etag", "last-modified"))


def run_checks(record: dict, transfer_kb: float, own_domain: str) -> list[dict]:
    """The RGESN checks of one page record (see :mod:`probes.web` for the record's fields)."""
    t = thresholds()
    targets = ecoindex_parameters().targets
    requests = record.get("requests", [])
    browser = record.get("source") == "browser"
    first = [r for r in requests if domain_of_url(r["url"]) == own_domain]
    http_first = [r for r in first if r["url"].startswith(("http:", "https:"))]
    out = []

    n = len(requests)
    ok = transfer_kb <= targets["size"] and n <= targets["requests"]
    out.append(_check("6.1", ok, f"{transfer_kb:.0f} kB transferred (limit {targets['size']:g}), "
                                 f"{n} requests (limit {targets['requests']:g}); limits: EcoIndex targets"))

    static = [r for r in http_first if _is_static(r) and (r.get("status") or 0) < 300]
    if not http_first:
        out.append(_check("6.2", None, "no first-party HTTP response (local file): no cache headers to read"))
    else:
        bad = [r["url"] for r in static if not _cacheable(r.get("headers", {}))]
        out.append(_check("6.2", not bad, (f"{len(bad)} of {len(static)} first-party static resources "
                                           f"without Cache-Control max-age, Expires, ETag or Last-Modified: "
                                           f"{_listed(bad)}") if bad else
                          f"all {len(static)} first-party static resources carry cache headers"))

    min_bytes = t["web_check_compression_min_bytes"]
    text = [r for r in http_first if _TEXT_MIME.match(r.get("mime", "")) and r["transfer_bytes"] >= min_bytes]
    if not http_first:
        out.append(_check("6.3", None, "no first-party HTTP response (local file): compression not visible"))
    else:
        bad = [r["url"] for r in text
               if not any(e in r.get("headers", {}).get("content-encoding", "").lower() for e in _ENCODINGS)]
        out.append(_check("6.3", not bad, (f"{len(bad)} of {len(text)} first-party text responses of "
                                           f"{min_bytes:g} bytes or more sent uncompressed: {_listed(bad)}")
                          if bad else f"{len(text)} first-party text responses of {min_bytes:g} bytes or "
                                      "more, all compressed"))

    legacy_kb = t["web_check_image_legacy_max_kb"]
    images = [r for r in requests if r.get("mime", "").startswith("image/")]
    bad = [r["url"] for r in images
           if _LEGACY_IMAGE.match(r.get("mime", "")) and r["transfer_bytes"] / 1000 >= legacy_kb]
    out.append(_check("5.1", not bad, (f"{len(bad)} of {len(images)} images in JPEG/PNG/GIF/BMP/TIFF of "
                                       f"{legacy_kb:g} kB or more (WebP or AVIF would be lighter): {_listed(bad)}")
                      if bad else f"{len(images)} images, none in a legacy format at {legacy_kb:g} kB or more"))

    ratio = t["web_check_image_oversize_ratio"]
    if not browser:
        out.append(_check("6.4", None, "displayed sizes unknown (HAR file): measure the page live"))
    else:
        shown = [i for i in record.get("images", []) if i.get("shown_w", 0) > 0 and i.get("shown_h", 0) > 0]
        bad = [i["src"] for i in shown
               if i["natural_w"] > ratio * i["shown_w"] or i["natural_h"] > ratio * i["shown_h"]]
        out.append(_check("6.4", not bad, (f"{len(bad)} of {len(shown)} displayed images more than {ratio:g}x "
                                           f"larger than shown: {_listed(bad)}") if bad else
                          f"{len(shown)} displayed images, none more than {ratio:g}x larger than shown"))

    if not browser:
        out.append(_check("4.1", None, "media state unknown (HAR file): measure the page live"))
    else:
        media = record.get("media", [])
        bad = [m["tag"] for m in media if m.get("autoplay") or m.get("playing")]
        out.append(_check("4.1", not bad, f"{len(bad)} of {len(media)} audio/video elements autoplay or play "
                                          "at load" if bad else f"{len(media)} audio/video elements, none "
                                                                "playing by itself"))

    max_fonts = t["web_check_font_files_max"]
    fonts = [r for r in requests if _FONT.match(r.get("mime", "")) or r.get("type") == "font"
             or _FONT_EXT.search(r["url"])]
    font_kb = sum(r["transfer_bytes"] for r in fonts) / 1000
    out.append(_check("4.8", len(fonts) <= max_fonts,
                      f"{len(fonts)} font files downloaded ({font_kb:.0f} kB; at most {max_fonts:g}: "
                      "2 families, 4 variants)"))

    before = [r for r in requests if r.get("phase", "load") == "load" and tracker_of(r["url"])]
    owners = sorted({tracker_of(r["url"]) for r in before})
    how = "" if browser else " (HAR: every entry counted as before interaction)"
    out.append(_check("4.4", not before, (f"{len(before)} requests to known trackers before any interaction "
                                          f"({', '.join(owners)}): {_listed([r['url'] for r in before])}{how}")
                      if before else f"no request to a known tracker before any interaction{how}"))

    third_static = [r for r in requests if _is_static(r) and domain_of_url(r["url"]) != own_domain
                    and r["url"].startswith(("http:", "https:"))]
    domains = sorted({registrable_domain(_host(r["url"])) for r in third_static})
    out.append(_check("6.7", not third_static,
                      f"{len(third_static)} static resources from other domains ({', '.join(domains)})"
                      if third_static else "every static resource comes from the page's own domain"))
    return out


def _host(url: str) -> str:
    from urllib.parse import urlsplit

    return urlsplit(url).hostname or ""
