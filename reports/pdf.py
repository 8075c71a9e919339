"""A round's report as a PDF worth printing, laid out by WeasyPrint.

The PDF is the print template ``reports/print.html`` filled from a ``RoundReport``
(so it holds exactly what the page shows: no group below the minimum, notes only for
readers who may see them) and the radar chart the page uses, embedded as SVG.

One page size throughout (A4 landscape); DejaVu fonts for Latin, Arabic and Hebrew,
user text isolated (FSI/PDI) and notes whose first letter is right to left set
``dir="rtl"`` (WeasyPrint does not apply ``dir="auto"``); characters
no installed font draws become their name in brackets (``reports.glyphs``); tagged as
PDF/UA-1. WeasyPrint needs Pango 1.44 or newer (see the README).
"""

from __future__ import annotations

import base64
import datetime as dt
import ssl
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone

from reports.assembly import RoundReport, radar_data

PDF_VARIANT = "pdf/ua-1"


def print_context(
    report: RoundReport,
    radar_svg: bytes,
    *,
    generated: dt.datetime | None = None,
    actions: Sequence[Any] = (),
    metrics: Sequence[Any] = (),
) -> dict[str, Any]:
    """What the print template needs. ``actions`` and ``metrics`` are the round's
    agreed actions and input metrics once those exist (objects with ``text``,
    ``dimension``, ``state`` / ``name``, ``value``, ``unit``, ``note``)."""
    uri = "data:image/svg+xml;base64," + base64.b64encode(radar_svg).decode()
    return {
        "report": report,
        "radar": radar_data(report),
        "radar_uri": uri,
        "generated": generated or timezone.now(),
        "has_comments": any(d.comments for d in report.dimensions),
        "actions": list(actions),
        "metrics": list(metrics),
    }


def print_html(report: RoundReport, radar_svg: bytes, **kwargs: Any) -> str:
    return render_to_string(
        "reports/print.html", print_context(report, radar_svg, **kwargs)
    )


def document(html: str) -> Any:
    """The laid-out document (pages and boxes), before it is written as PDF."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher

    # Only the embedded chart (a data: URI) is ever loaded: nothing from the network
    # or the disk, whatever a team or a note says.
    # Nothing goes over HTTPS either, so the fetcher gets a bare TLS context: the
    # default one loads the system's certificates, 25-100 ms of every layout.
    fetcher = URLFetcher(
        allowed_protocols={"data"},
        fail_on_errors=True,
        ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT),
    )
    return HTML(string=html, base_url=None, url_fetcher=fetcher).render(
        pdf_variant=PDF_VARIANT
    )


def pdf(report: RoundReport, radar_svg: bytes, **kwargs: Any) -> bytes:
    html = print_html(report, radar_svg, **kwargs)
    data: bytes = document(html).write_pdf(pdf_variant=PDF_VARIANT)
    return data
