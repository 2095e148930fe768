"""Matrix cases for the Django admin: every admin URL × every persona.

The cases are generated from ``admin.site._registry`` and the admin's own URL patterns,
so a newly registered model is covered without a line here. The admin is for
superusers only: no persona but the superuser has ``is_staff`` (the roles do not set it,
the demo does not either), so everyone else is sent to the admin's login page, which
is what ``LOGIN`` means here. The superuser opens every page; a page the model's admin
declares closed (the read-only axes logs cannot be added to) answers 403.

The history pages (Django's and django-simple-history's, one version) are part of the
audit trail (issue #8 item 3), so they are requested with an object that has history.
"""

from __future__ import annotations

import datetime
import itertools
from decimal import Decimal

from django.contrib import admin
from django.contrib.auth.models import Group, Permission
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.test import RequestFactory
from django.urls import URLPattern, URLResolver
from django.utils import timezone
from guardian.models import BaseObjectPermission

from .matrix import FORBIDDEN, LOGIN, OK, Case, World, register

_counter = itertools.count(1)


# --- objects of any registered model -------------------------------------------------


def _factory_instance(world: World, model):
    """The world's own object, or one from the project's factories, where one exists."""
    from aks.accounts.models import User
    from bodies.models import Body, Entitlement, Membership, Organisation, Person, Poll, Side
    from documents.models import RenderedDocument
    from meetings.documents import AGENDA
    from meetings.models import Meeting, Registration, Speaker
    from spaces.models import District, Instrument, Space, SpaceNeed
    from tests.factories import OrganisationFactory
    from tests.meetings.factories import MeetingFactory
    from tests.meetings.factories_events import RegistrationFactory, SpeakerFactory
    from tests.spaces.factories import (
        DistrictFactory,
        InstrumentFactory,
        SpaceFactory,
        SpaceNeedFactory,
    )

    member = world.users["body_member"]
    builders = {
        User: lambda: world.users["v_intern"],
        Group: lambda: Group.objects.order_by("pk").first(),
        Body: lambda: world.body,
        Person: lambda: member.person,
        Membership: lambda: Membership.objects.filter(person__user=member).first(),
        Organisation: OrganisationFactory,
        # A roll entry names a person or an organisation, never both or neither.
        Entitlement: lambda: Entitlement.objects.create(
            poll=_instance(world, Poll), person=member.person, side=Side.CIVIL_SOCIETY
        ),
        Meeting: lambda: MeetingFactory(body=world.body),
        RenderedDocument: lambda: RenderedDocument.objects.create(
            kind=AGENDA,
            subject_id=str(_instance(world, Meeting).pk),
            audience="public",
            fingerprint="matrix",
        ),
        Speaker: lambda: SpeakerFactory(meeting=_instance(world, Meeting)),
        Registration: lambda: RegistrationFactory(meeting=_instance(world, Meeting)),
        District: DistrictFactory,
        Instrument: InstrumentFactory,
        Space: lambda: SpaceFactory(body=world.body),
        SpaceNeed: SpaceNeedFactory,
    }
    builder = builders.get(model)
    if builder is not None:
        return builder()
    if model is ContentType:
        return ContentType.objects.get_for_model(Body)
    if model is Permission:
        return Permission.objects.get(content_type__app_label="bodies", codename="view_body")
    if issubclass(model, BaseObjectPermission):
        # guardian's direct-foreign-key grant tables: a grant of "view" on the object.
        target = _instance(world, model._meta.get_field("content_object").related_model)
        holder = {"user": world.users["v_intern"]} if hasattr(model, "user") else {}
        if not holder:
            holder = {"group": _instance(world, Group)}
        return model._default_manager.create(
            content_object=target,
            permission=Permission.objects.get(
                content_type=ContentType.objects.get_for_model(target),
                codename=f"view_{target._meta.model_name}",
            ),
            **holder,
        )
    return None


def _instance(world: World, model):
    """One object of ``model``, built once per world."""
    return world.get(
        f"admin:{model._meta.label_lower}",
        None,
        lambda w, level: _factory_instance(w, model) or _autofill(w, model),
    )


def _value(world: World, model, field):
    """A valid value for a required field the factories do not know."""
    n = next(_counter)
    if field.choices:
        return field.choices[0][0]
    if isinstance(field, models.OneToOneField):
        # A fresh object: the one the world holds may already have its partner.
        return _autofill(world, field.related_model, fresh=True)
    if isinstance(field, models.ForeignKey):
        return _instance(world, field.related_model)
    if isinstance(field, models.EmailField):
        return f"mx{n}@example.org"
    if isinstance(field, models.URLField):
        return f"https://example.org/{n}"
    if isinstance(field, models.SlugField):
        return f"mx-{n}"
    if isinstance(field, models.GenericIPAddressField):
        return "127.0.0.1"
    if isinstance(field, models.FileField):
        return f"matrix/{n}.pdf"
    if isinstance(field, (models.CharField, models.TextField)):
        text = f"mx{model._meta.model_name}{n}"
        return text[: field.max_length] if field.max_length else text
    if isinstance(field, models.BooleanField):
        return False
    if isinstance(field, (models.IntegerField, models.FloatField)):
        return 1
    if isinstance(field, models.DecimalField):
        return Decimal(1)
    if isinstance(field, models.DateTimeField):
        return timezone.now()
    if isinstance(field, models.DateField):
        return timezone.localdate()
    if isinstance(field, models.TimeField):
        return datetime.time(12)
    if isinstance(field, models.DurationField):
        return datetime.timedelta(hours=1)
    if isinstance(field, models.UUIDField):
        import uuid

        return uuid.uuid4()
    if isinstance(field, models.JSONField):
        return {}
    raise NotImplementedError(f"no matrix value for {model._meta.label}.{field.name}")


def _autofill(world: World, model, fresh: bool = False):
    """A row of ``model`` with every required field filled: enough for its admin pages."""
    if not fresh:
        built = _factory_instance(world, model)
        if built is not None:
            return built
    values = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.null or field.has_default():
            continue
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            continue
        if field.blank and isinstance(field, (models.CharField, models.TextField)):
            continue
        values[field.name] = _value(world, model, field)
    return model._default_manager.create(**values)


# --- expectations ---------------------------------------------------------------------


def _superuser_only(superuser_outcome: str = OK):
    def expect(persona, level, world):
        return superuser_outcome if persona == "superuser" else LOGIN

    return expect


def _declared(model_admin, permission: str, obj_of=None):
    """The superuser's outcome as the model's admin declares it: some admins are
    read-only by design (the axes logs), and the admin answers those pages with 403."""

    def expect(persona, level, world):
        if persona != "superuser":
            return LOGIN
        request = RequestFactory().get("/admin/")
        request.user = world.users["superuser"]
        args = (obj_of(world),) if obj_of else ()
        allowed = getattr(model_admin, f"has_{permission}_permission")(request, *args)
        return OK if allowed else FORBIDDEN

    return expect


# --- the cases ------------------------------------------------------------------------


def _admin_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns):
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                walk(pattern.url_patterns)
            elif isinstance(pattern, URLPattern) and pattern.name:
                names.add(f"admin:{pattern.name}")

    walk(admin.site.get_urls())
    return names


def _history_id(world: World, model) -> int:
    obj = _instance(world, model)
    record = obj.history.order_by("-history_id").first()
    if record is None:
        # A row written past the model's signals (a factory's bulk path) has none yet.
        obj.save()
        record = obj.history.order_by("-history_id").first()
    return record.history_id


def _no_kwargs(_built) -> None:
    """The changelist has no URL arguments, but lists the object built for it."""
    return None


def _model_cases(model, model_admin, names: set[str]) -> list[Case]:
    prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"

    def obj(world):
        return _instance(world, model)

    def pk(world, level):
        return {"object_id": obj(world).pk}

    def guarded(world, level):
        return {"object_pk": obj(world).pk}

    cases = [
        Case(
            f"{prefix}_changelist",
            build=lambda w, lv: _no_kwargs(obj(w)),
            levels=(None,),
            expect=_declared(model_admin, "view_or_change"),
        ),
        Case(
            f"{prefix}_add",
            build=lambda w, lv: None,
            levels=(None,),
            expect=_declared(model_admin, "add"),
        ),
        Case(
            f"{prefix}_change",
            build=pk,
            levels=(None,),
            expect=_declared(model_admin, "view_or_change", obj),
        ),
        # GET shows the confirmation only; nothing is deleted.
        Case(
            f"{prefix}_delete",
            build=pk,
            levels=(None,),
            expect=_declared(model_admin, "delete", obj),
        ),
        Case(
            f"{prefix}_history",
            build=pk,
            levels=(None,),
            expect=_declared(model_admin, "view_or_change", obj),
        ),
        Case(
            f"{prefix}_simple_history",
            # A regular-expression pattern with positional groups: reversed with args.
            build=lambda w, lv: (obj(w).pk, _history_id(w, model)),
            levels=(None,),
            expect=_declared(model_admin, "view_or_change", obj),
        ),
        # django-guardian's object permission pages.
        Case(f"{prefix}_permissions", build=guarded, levels=(None,), expect=_superuser_only()),
        Case(
            f"{prefix}_permissions_manage_user",
            build=lambda w, lv: {**guarded(w, lv), "user_id": w.users["v_intern"].pk},
            levels=(None,),
            expect=_superuser_only(),
        ),
        Case(
            f"{prefix}_permissions_manage_group",
            build=lambda w, lv: {**guarded(w, lv), "group_id": _instance(w, Group).pk},
            levels=(None,),
            expect=_superuser_only(),
        ),
    ]
    return [case for case in cases if case.name in names]


def _site_cases() -> list[Case]:
    from bodies.models import Membership

    def no_object(world, level):
        return None

    def view_on_site(world, level):
        content_type = ContentType.objects.get_for_model(type(world.body))
        return {"content_type_id": content_type.pk, "object_id": world.body.pk}

    def autocomplete(world, level):
        _instance(world, Membership)
        return None

    return [
        Case("admin:index", build=no_object, levels=(None,), expect=_superuser_only()),
        # The login page itself: a form for everyone, the superuser is sent on to the index.
        Case("admin:login", build=no_object, levels=(None,), expect=lambda p, lv, w: OK),
        # Logging out is a POST; for anyone not staff the admin answers with a redirect
        # to its index (which then asks them to log in), the superuser sees "logged out".
        Case(
            "admin:logout",
            build=no_object,
            levels=(None,),
            method="POST",
            expect=lambda p, lv, w: OK,
        ),
        Case("admin:password_change", build=no_object, levels=(None,), expect=_superuser_only()),
        Case(
            "admin:password_change_done",
            build=no_object,
            levels=(None,),
            expect=_superuser_only(),
        ),
        Case("admin:jsi18n", build=no_object, levels=(None,), expect=_superuser_only()),
        Case(
            "admin:autocomplete",
            build=autocomplete,
            levels=(None,),
            query="?app_label=bodies&model_name=membership&field_name=body&term=Matrix",
            expect=_superuser_only(),
        ),
        Case("admin:view_on_site", build=view_on_site, levels=(None,), expect=_superuser_only()),
        Case(
            "admin:app_list",
            build=lambda w, lv: {"app_label": "meetings"},
            levels=(None,),
            expect=_superuser_only(),
        ),
        Case(
            "admin:auth_user_password_change",
            build=lambda w, lv: {"id": w.users["v_intern"].pk},
            levels=(None,),
            expect=_superuser_only(),
        ),
    ]


def _register_all() -> None:
    names = _admin_url_names()
    for model, model_admin in admin.site._registry.items():
        register(*_model_cases(model, model_admin, names))
    register(*(case for case in _site_cases() if case.name in names))


_register_all()
