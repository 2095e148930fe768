"""The render queue: one task per stored rendering, by primary key, idempotent."""

import logging

from celery import shared_task
from celery.exceptions import SoftTimeLimitExceeded
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser

from . import registry, services
from .models import RenderedDocument, RenderStatus

logger = logging.getLogger(__name__)

SOFT_TIME_LIMIT = 120
TIME_LIMIT = 150


def _reader(document: RenderedDocument):
    if document.requested_by_id is None:
        return AnonymousUser()
    return get_user_model().objects.get(pk=document.requested_by_id)


@shared_task(
    name="documents.tasks.render_document",
    soft_time_limit=SOFT_TIME_LIMIT,
    time_limit=TIME_LIMIT,
    acks_late=True,
)
def render_document(document_pk: int) -> str:
    """Render one stored document; a done row is left alone (idempotent).

    The HTML is built again for the reader who asked, and rendered only if it is
    still the document the row's fingerprint names; otherwise the row is dropped and
    the reader's next poll asks for the current one.
    """
    document = RenderedDocument.objects.filter(pk=document_pk).first()
    if document is None or document.status == RenderStatus.DONE:
        return "skipped"
    RenderedDocument.objects.filter(pk=document.pk).exclude(status=RenderStatus.DONE).update(
        status=RenderStatus.RUNNING
    )
    try:
        subject = registry.get(document.kind).find_subject(document.subject_id)
        if subject is None:
            raise services.DocumentUnavailable
        source = services.build_source(kind=document.kind, subject=subject, user=_reader(document))
    except (services.DocumentUnavailable, registry.UnknownKind, get_user_model().DoesNotExist):
        document.delete()
        return "unavailable"
    except SoftTimeLimitExceeded:
        services.fail(document=document, reason="timeout")
        return RenderStatus.FAILED
    except Exception:
        logger.exception("Building document %s failed", document.pk)
        services.fail(document=document, reason="error")
        return RenderStatus.FAILED
    if services.fingerprint_for(kind=document.kind, html=source.html) != document.fingerprint:
        document.delete()
        return "changed"
    return services.store(document=document, source=source).status
