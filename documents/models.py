from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class RenderStatus(models.TextChoices):
    PENDING = "pending", _("Waiting")
    RUNNING = "running", _("Rendering")
    DONE = "done", _("Ready")
    FAILED = "failed", _("Failed")


class RenderedDocumentQuerySet(models.QuerySet):
    def of(self, kind: str, key: str):
        """The renderings of one document (every audience and content)."""
        return self.filter(kind=kind, subject_id=key)


class RenderedDocument(models.Model):
    """A stored PDF for one reader's view of one document.

    ``kind`` names a registered document kind and ``subject_id`` its subject as the
    kind spells it (no foreign key per subject: a new kind needs no migration).
    ``audience`` names the visibility levels the reader sees (the public PDF and the
    internal PDF of the same minutes are different rows); ``fingerprint`` hashes the
    content the PDF was made from, so a changed document asks for a new rendering
    while an unchanged one is served again. A subject that is deleted leaves its
    rows to the retention purge."""

    kind = models.CharField(_("kind"), max_length=40)
    subject_id = models.CharField(_("subject"), max_length=100)
    audience = models.CharField(_("audience"), max_length=120)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    status = models.CharField(
        _("status"), max_length=10, choices=RenderStatus.choices, default=RenderStatus.PENDING
    )
    file = models.FileField(_("file"), upload_to="documents/%Y/%m/", blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    error = models.TextField(_("error"), blank=True)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("requested by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = RenderedDocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("rendered document")
        verbose_name_plural = _("rendered documents")
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "subject_id", "audience", "fingerprint"],
                name="rendered_document_once_per_view",
            ),
        ]
        indexes = [models.Index(fields=["kind", "subject_id"])]

    def __str__(self):
        return f"{self.kind_label} {self.subject_id} ({self.audience})"

    @property
    def kind_label(self) -> str:
        from . import registry

        try:
            return str(registry.get(self.kind).label)
        except registry.UnknownKind:
            return self.kind
