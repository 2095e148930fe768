"""Write tombstones when the public loses sight of an object (see ``oparl.tombstones``).

- Saving: ``pre_save`` reads the row's relevant fields (one query); if none of them
  changes, nothing else happens. Otherwise it snapshots the scope, and ``post_save``
  compares. A new row can only make things public, and only rows that existed
  before it (the moderator of a new meeting): ``post_save`` alone looks at those.
- Deleting: ``pre_delete`` snapshots the scope while parents still exist (Django
  sends it for every object of a cascade before deleting any), ``post_delete``
  compares once all of them are gone. An object deleted in the cascade of a watched
  object is covered by that object's scope and adds nothing of its own.

Reads cost nothing: all of this runs on writes only.
"""

from types import SimpleNamespace

from django.db import models
from django.db.models.signals import post_delete, post_save, pre_delete, pre_save

from . import tombstones
from .tombstones import WATCHED, Snapshot

ATTR = "_oparl_before"


def _attnames(model, names) -> list[str]:
    return [model._meta.get_field(name).attname for name in names]


def _values(instance, attnames) -> SimpleNamespace:
    return SimpleNamespace(pk=instance.pk, **{name: getattr(instance, name) for name in attnames})


def before_save(sender, instance, raw=False, update_fields=None, **kwargs):
    if raw:
        return
    watched = WATCHED[sender]
    instance.__dict__.pop(ATTR, None)
    if instance._state.adding or instance.pk is None:
        if watched.added:
            instance.__dict__[ATTR] = ("added", Snapshot())
        return
    if update_fields is not None and not set(update_fields) & set(watched.fields):
        return
    attnames = _attnames(sender, watched.fields)
    old = sender._default_manager.filter(pk=instance.pk).values(*attnames).first()
    if old is None:
        if watched.added:
            instance.__dict__[ATTR] = ("added", Snapshot())
        return
    if all(old[name] == getattr(instance, name) for name in attnames):
        return
    before = tombstones.take(watched.scope(SimpleNamespace(pk=instance.pk, **old)), with_extra=True)
    instance.__dict__[ATTR] = ("changed", before)


def after_save(sender, instance, raw=False, **kwargs):
    state = instance.__dict__.pop(ATTR, None)
    if raw or state is None:
        return
    how, before = state
    watched = WATCHED[sender]
    scopes = watched.scope(_values(instance, _attnames(sender, watched.fields)))
    if how == "added":
        # A new row has no tombstone; it may show rows that existed before it.
        scopes = {name: q for name, q in scopes.items() if name in watched.added}
    tombstones.record(before, tombstones.take(tombstones.rescope(before, scopes)))


def _in_cascade_of_watched(instance, origin) -> bool:
    if not isinstance(origin, models.Model) or origin is instance:
        return False
    watched = WATCHED.get(type(origin))
    return watched is not None and type(instance) in watched.cascades_to


def before_delete(sender, instance, origin=None, **kwargs):
    instance.__dict__.pop(ATTR, None)
    if _in_cascade_of_watched(instance, origin):
        return
    watched = WATCHED[sender]
    scopes = watched.scope(_values(instance, _attnames(sender, watched.fields)))
    instance.__dict__[ATTR] = ("deleted", tombstones.take(scopes, with_extra=True))


def after_delete(sender, instance, **kwargs):
    state = instance.__dict__.pop(ATTR, None)
    if state is None:
        return
    _how, before = state
    if not before.public:
        return
    tombstones.record(before, tombstones.take(tombstones.rescope(before)))


def connect():
    for model in WATCHED:
        uid = f"oparl-tombstones-{model._meta.label_lower}"
        if WATCHED[model].fields:
            pre_save.connect(before_save, sender=model, dispatch_uid=uid)
            post_save.connect(after_save, sender=model, dispatch_uid=uid)
        pre_delete.connect(before_delete, sender=model, dispatch_uid=uid)
        post_delete.connect(after_delete, sender=model, dispatch_uid=uid)
