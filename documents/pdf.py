"""HTML → PDF with WeasyPrint: the one renderer of every document kind.

Rendering is safe by construction: every user text goes through Django's
autoescaping, and WeasyPrint fetches resources only through
:class:`StaticFilesFetcher`, which serves the project's own static files (the
stylesheet and the bundled DejaVu fonts) and ``data:`` URLs and refuses
everything else.
"""

import functools
import logging
import mimetypes
import posixpath
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe
from django.utils.text import slugify
from django.utils.translation import gettext as _

# fontTools reports every table of every font subset at INFO, WeasyPrint every page it
# lays out (and, on import, its own stylesheet): dozens of log lines per PDF otherwise.
logging.getLogger("fontTools").setLevel(logging.WARNING)
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint.urls import URLFetcher, URLFetcherResponse  # noqa: E402

# The documents are German whatever the reader's interface language (DESIGN.md).
PDF_LANGUAGE = "de"
# Relative URLs in the documents resolve against this origin, which exists nowhere:
# the fetcher answers it from the static files finders, never from the network.
PDF_BASE_URL = "https://pdf.gemeinwohl.invalid/"
STYLESHEET = "css/pdf.css"
# Raise when the layout changes in a way the HTML does not show (a WeasyPrint
# upgrade, a new font), so stored PDFs are made again.
LAYOUT_VERSION = "1"


# --- Safe resource fetching --------------------------------------------------------------


class RefusedURL(ValueError):
    """A resource outside the project's static files."""


class StaticFilesFetcher(URLFetcher):
    """Serves ``data:`` URLs and the project's static files; refuses everything else.

    No ``file://`` (not even inside the project), no http(s) to any other host,
    no redirects: a document can only contain what the templates put there.
    """

    def __init__(self, **kwargs):
        kwargs.update(allowed_protocols=("data",), allow_redirects=False, timeout=1)
        super().__init__(**kwargs)

    def fetch(self, url, headers=None):
        parts = urlsplit(url)
        scheme = parts.scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        base = urlsplit(PDF_BASE_URL)
        if (
            scheme != base.scheme
            or parts.netloc.lower() != base.netloc
            or not parts.path.startswith(settings.STATIC_URL)
        ):
            raise RefusedURL(f"refused: {url}")
        path = unquote(parts.path.removeprefix(settings.STATIC_URL))
        if path != posixpath.normpath(path) or path.startswith(("/", "..")) or "\\" in path:
            raise RefusedURL(f"refused: {url}")
        found = finders.find(path)
        if not found:
            raise RefusedURL(f"not a static file: {url}")
        with open(found, "rb") as handle:
            body = handle.read()
        content_type = mimetypes.guess_type(path)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body, {"Content-Type": content_type})


# --- HTML → PDF ------------------------------------------------------------------------


@functools.cache
def stylesheet_text() -> str:
    """The PDF stylesheet (read once per process; part of every fingerprint)."""
    found = finders.find(STYLESHEET)
    with open(found, encoding="utf-8") as handle:
        return handle.read()


@dataclass
class RenderedPdf:
    content: bytes
    pages: int


def render_pdf(*, html: str) -> RenderedPdf:
    """A4, tagged (PDF/UA-1 where WeasyPrint manages it), title and language set."""
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration

    fetcher = StaticFilesFetcher()
    # The bundled fonts (@font-face in the stylesheet) load through the fetcher.
    fonts = FontConfiguration()
    stylesheet = CSS(
        string=stylesheet_text(), base_url=PDF_BASE_URL, url_fetcher=fetcher, font_config=fonts
    )
    document = HTML(string=html, base_url=PDF_BASE_URL, url_fetcher=fetcher).render(
        stylesheets=[stylesheet], font_config=fonts
    )
    try:
        content = document.write_pdf(pdf_variant="pdf/ua-1")
    except Exception:  # an unsupported construct for PDF/UA: still a tagged PDF
        content = document.write_pdf(pdf_tags=True)
    return RenderedPdf(content=content, pages=len(document.pages))


def html_to_pdf(*, html: str) -> bytes:
    return render_pdf(html=html).content


# --- Sources: the HTML one reader's PDF is made from ----------------------------------------


@dataclass
class PdfSource:
    html: str
    title: str
    filename: str
    # How many parts the document has (agenda items plus minute entries, report
    # rows): what decides between rendering now and later.
    size: int
    extra: dict = field(default_factory=dict)


def page_counter_css() -> str:
    """``"Seite " counter(page) " von " counter(pages)`` from one translatable sentence."""
    marker = "\x00"
    sentence = _("Page %(page)s of %(pages)s") % {
        "page": f"{marker}page{marker}",
        "pages": f"{marker}pages{marker}",
    }
    parts = []
    for index, part in enumerate(sentence.split(marker)):
        if index % 2:
            parts.append(f"counter({part})")
        elif part:
            escaped = part.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
            parts.append(f'"{escaped}"')
    # Built from our own catalogue, never from user text; it goes into a <style> element,
    # where HTML escaping would break the quotes.
    return mark_safe(" ".join(parts))  # noqa: S308


def render_html(template: str, context: dict) -> str:
    """A document template (extending ``documents/pdf/base.html``) with the page counter."""
    return render_to_string(
        template, {"page_counter": page_counter_css(), "layout_version": LAYOUT_VERSION, **context}
    )


def filename(prefix: str, title: str, day) -> str:
    return f"{prefix}-{day:%Y-%m-%d}-{slugify(title)[:60] or 'dokument'}.pdf"
