"""Tombstones: what the endpoint keeps of an object the public could see and no
longer can (deleted or depublished), so clients learn of it (OParl 2.8)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Tombstone(models.Model):
    """One object the endpoint published and no longer publishes.

    ``key`` is the object's path below the endpoint, as its ``id`` spells it
    (``meeting/12/``, ``organization/body-3/``); the object answers there with
    ``deleted: true`` until it becomes public again, which removes the tombstone.
    """

    type = models.CharField(_("OParl type"), max_length=40)
    key = models.CharField(_("path"), max_length=200)
    # The primary key of the platform object, so a live object always wins over a
    # stale tombstone of the same key (see ``oparl.tombstones``).
    object_id = models.PositiveBigIntegerField(_("object ID"))
    # As the endpoint published it; empty where it published the set-up time.
    created = models.DateTimeField(_("created"), null=True, blank=True)
    deleted_at = models.DateTimeField(_("deleted at"), db_index=True)
    # Properties the OParl schema requires even of a deleted object
    # (``order`` of an AgendaItem).
    extra = models.JSONField(_("required properties"), default=dict, blank=True)

    class Meta:
        verbose_name = _("deleted OParl object")
        verbose_name_plural = _("deleted OParl objects")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["type", "key"], name="oparl_tombstone_unique_key"),
        ]
        indexes = [models.Index(fields=["key"], name="oparl_tombstone_key")]

    def __str__(self):
        return f"{self.type} {self.key}"
