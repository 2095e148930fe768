"""Stored PDFs of every document kind, one per reader's view.

A request builds the HTML of the reader's document first (cheap: the selectors and a
template), then looks for a stored PDF of exactly that HTML:

- ``audience`` names the visibility levels the reader sees, so the public and the
  internal PDF of the same minutes are different rows;
- ``fingerprint`` hashes the HTML itself (with the stylesheet and the layout
  version), so any change that the reader would see asks for a new rendering, and
  two readers share a stored file only if their documents are identical to the
  byte. That is also what makes grants safe: a guest who sees one more item has a
  different fingerprint.

Short documents are rendered in the request; long ones (a size above
``MEETINGS_PDF_SYNC_LIMIT``) go to the ``render`` queue, and the reader sees a
progress page until the row is done.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from celery.exceptions import SoftTimeLimitExceeded
from django.conf import settings
from django.core.files.base import ContentFile
from django.utils import timezone

from aks.queue import send_on_commit
from bodies.access import audience_key, is_active_user

from . import pdf, registry
from .models import RenderedDocument, RenderStatus
from .registry import DocumentUnavailable

logger = logging.getLogger(__name__)

# A pending row older than this was probably never picked up (the broker was down
# when it was sent); the next request sends it again. The task is idempotent.
RESEND_AFTER = datetime.timedelta(minutes=2)

__all__ = ["DocumentUnavailable", "fingerprint_for", "request_document"]


def fingerprint_for(*, kind: str, html: str) -> str:
    digest = hashlib.sha256()
    for part in (pdf.LAYOUT_VERSION, pdf.stylesheet_text(), kind, html):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    return digest.hexdigest()


def build_source(*, kind: str, subject, user) -> pdf.PdfSource:
    """The HTML of ``user``'s document; :class:`DocumentUnavailable` when the reader
    may not see its subject."""
    document_kind = registry.get(kind)
    if not document_kind.may_read(user, subject):
        raise DocumentUnavailable
    return document_kind.build(subject=subject, user=user)


@dataclass
class DocumentRequest:
    document: RenderedDocument
    source: pdf.PdfSource
    # Sent to the worker by this very request: the reader sees the progress page
    # first, even where an eager Celery has already finished it.
    deferred: bool = False


def _is_stored(document: RenderedDocument) -> bool:
    return (
        document.status == RenderStatus.DONE
        and bool(document.file)
        and document.file.storage.exists(document.file.name)
    )


def request_document(*, kind: str, subject, user, retry: bool = False) -> DocumentRequest:
    """The stored PDF of ``user``'s view, rendering it now or in the worker if needed.

    ``retry`` sends a failed rendering again (the "try again" button).
    """
    from .tasks import render_document

    document_kind = registry.get(kind)
    source = build_source(kind=kind, subject=subject, user=user)
    document, created = RenderedDocument.objects.get_or_create(
        kind=kind,
        subject_id=document_kind.subject_key(subject),
        audience=audience_key(user, body_id=document_kind.body_id(subject)),
        fingerprint=fingerprint_for(kind=kind, html=source.html),
        defaults={"requested_by": user if is_active_user(user) else None},
    )
    if _is_stored(document):
        return DocumentRequest(document, source)
    if document.status == RenderStatus.FAILED and not retry:
        return DocumentRequest(document, source)
    if document.status == RenderStatus.DONE or document.status == RenderStatus.FAILED:
        # Retried, or the stored file went missing: start again from this request.
        created = True
        RenderedDocument.objects.filter(pk=document.pk).update(
            status=RenderStatus.PENDING, error="", created_at=timezone.now()
        )
        document.status = RenderStatus.PENDING
        if is_active_user(user):
            RenderedDocument.objects.filter(pk=document.pk).update(requested_by=user)
            document.requested_by = user
    if source.size <= settings.MEETINGS_PDF_SYNC_LIMIT:
        store(document=document, source=source)
        return DocumentRequest(document, source)
    stale = document.status == RenderStatus.PENDING and (
        timezone.now() - document.created_at > RESEND_AFTER
    )
    if created or stale:
        send_on_commit(render_document, document.pk)
        return DocumentRequest(document, source, deferred=True)
    return DocumentRequest(document, source)


def store(*, document: RenderedDocument, source: pdf.PdfSource) -> RenderedDocument:
    """Render ``source`` into ``document``; a failure is stored, never raised."""
    try:
        rendered = pdf.render_pdf(html=source.html)
    except SoftTimeLimitExceeded:
        return fail(document=document, reason="timeout")
    except Exception:
        logger.exception("Rendering document %s failed", document.pk)
        return fail(document=document, reason="error")
    name = f"{document.kind}-{document.pk}-{document.fingerprint[:16]}.pdf"
    document.file.save(name, ContentFile(rendered.content), save=False)
    finished = timezone.now()
    updated = (
        RenderedDocument.objects.filter(pk=document.pk)
        .exclude(status=RenderStatus.DONE)
        .update(
            file=document.file.name,
            status=RenderStatus.DONE,
            pages=rendered.pages,
            error="",
            finished_at=finished,
        )
    )
    if not updated:
        # Another worker finished first (a redelivered task): keep its file only.
        document.file.storage.delete(document.file.name)
        document.refresh_from_db()
        return document
    document.status, document.pages, document.finished_at = (
        RenderStatus.DONE,
        rendered.pages,
        finished,
    )
    return document


def fail(*, document: RenderedDocument, reason: str) -> RenderedDocument:
    RenderedDocument.objects.filter(pk=document.pk).exclude(status=RenderStatus.DONE).update(
        status=RenderStatus.FAILED, error=reason, finished_at=timezone.now()
    )
    document.refresh_from_db()
    return document
