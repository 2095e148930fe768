"""A world in which every text a person can type carries an injection payload.

The demo data (``seed_demo``) gives every object type with realistic relations; the
builder then overwrites every free-text field of every row with ``PAYLOAD`` behind a
marker that names the field (``M07x.12`` = field number 7, row 12), and makes every
object public so that anonymous readers render the same text as staff.

The fields are enumerated through ``Model._meta``, so a new text field is filled
without anyone touching this file; a field that must not carry the payload goes into
``EXCLUDED`` with the reason.
"""

import io
from dataclasses import dataclass

from django.apps import apps
from django.core.management import call_command
from django.db import models

# Markup, a template expression, a spreadsheet formula and line breaks (CR LF, CR, LF)
# each followed by an iCalendar property: whatever an output format would interpret,
# it must show literally.
PAYLOAD = (
    "<script>alert(1)</script><img src=x onerror=alert(2)>\"'&amp; {{7*7}} "
    '=HYPERLINK("x")\r\nATTENDEE:mailto:x@example.org\rORGANIZER:mailto:x@example.org\n'
    "</textarea></title>"
)
# URLs must stay URLs (forms and models validate them): the payload lives in the path
# and query, where it must be attribute-escaped.
URL_PAYLOAD = "https://example.org/{marker}?q=<script>alert(1)</script>\"'onmouseover=alert(3)"

APPS = ("bodies", "spaces", "meetings", "accounts", "portal")

# (app_label, model name or "*", field name) -> why it is not filled.
EXCLUDED = {
    # Identifiers in URLs: a slug is validated to [-a-zA-Z0-9_].
    ("*", "*", "slug"): "slug, validated to URL-safe characters",
    # Addresses are validated by EmailValidator at every entry point and used as mail
    # recipients; a payload there is not reachable.
    ("*", "*", "email"): "e-mail address, validated",
    ("accounts", "user", "password"): "password hash",
    ("meetings", "calendartoken", "token"): "random secret",
    ("meetings", "registration", "token"): "random secret",
    ("meetings", "rendereddocument", "fingerprint"): "hash of the rendered content",
    ("meetings", "rendereddocument", "audience"): "visibility levels, written by code",
    ("meetings", "rendereddocument", "error"): "exception text, staff-only admin",
    # django-simple-history's bookkeeping, written by code.
    ("*", "*", "history_change_reason"): "written by code",
}


@dataclass(frozen=True)
class TextField:
    model: type[models.Model]
    field: models.Field
    marker: str

    @property
    def key(self) -> str:
        return f"{self.model._meta.label_lower}.{self.field.name}"


def _excluded(model, field) -> bool:
    app, name = model._meta.app_label, model._meta.model_name
    return any((a in ("*", app)) and (m in ("*", name)) and f == field.name for a, m, f in EXCLUDED)


def text_fields() -> list[TextField]:
    """Every free-text field of the platform's models, each with its marker.

    Free text: a CharField or TextField (URLField, SlugField, EmailField are
    CharFields) without choices that is editable; choices are validated values, and
    non-editable fields are computed by code."""
    found = []
    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            for field in model._meta.get_fields():
                if not isinstance(field, (models.CharField, models.TextField)):
                    continue
                if field.choices or not field.editable:
                    continue
                found.append((model, field))
    found.sort(key=lambda pair: (pair[0]._meta.label_lower, pair[1].name))
    return [
        TextField(model, field, f"M{number:02d}x")
        for number, (model, field) in enumerate(found)
        if not _excluded(model, field)
    ]


def value_for(text_field: TextField, pk) -> str:
    field = text_field.field
    prefix = f"{text_field.marker}.{pk}"
    if isinstance(field, models.URLField):
        value = URL_PAYLOAD.format(marker=prefix)
    else:
        value = f"{prefix} {PAYLOAD}"
    if field.max_length:
        value = value[: field.max_length]
    return value


@dataclass
class World:
    staff: object
    body: object
    meeting: object  # has agenda, minutes with entries, commitments
    event: object  # a public event with speakers and registrations
    series: object  # the public event series
    survey: object
    registration: object


def _fill_text() -> None:
    by_model: dict[type[models.Model], list[TextField]] = {}
    for text_field in text_fields():
        by_model.setdefault(text_field.model, []).append(text_field)
    for model, fields in by_model.items():
        rows = list(model._default_manager.all())
        for row in rows:
            for text_field in fields:
                setattr(row, text_field.field.attname, value_for(text_field, row.pk))
        if rows:
            model._default_manager.bulk_update(rows, [f.field.attname for f in fields])


def _make_public() -> None:
    from bodies.access import Visibility

    for label in APPS:
        for model in apps.get_app_config(label).get_models():
            names = [
                f.name
                for f in model._meta.get_fields()
                if f.name in ("visibility", "owner_visibility") and getattr(f, "choices", None)
            ]
            if names:
                model._default_manager.update(**dict.fromkeys(names, Visibility.PUBLIC))


def _add_missing_rows(staff) -> None:
    """Rows of models the demo leaves empty but whose text a person types."""
    from meetings.models import AgendaReview, EventDocument, Meeting, MeetingKind

    event = Meeting.objects.filter(kind=MeetingKind.PUBLIC_EVENT).order_by("pk").first()
    EventDocument.objects.create(meeting=event, title="x", file="events/2026/01/folien.pdf")
    AgendaReview.objects.create(meeting=Meeting.objects.order_by("pk").first(), reviewer=staff)


def build_world() -> World:
    from aks.accounts.models import User
    from bodies.demo import DEMO_USERS
    from bodies.models import Body, Person
    from meetings.models import (
        Meeting,
        MeetingKind,
        MeetingSeries,
        MinuteEntry,
        Registration,
        TopicSurvey,
    )

    call_command("seed_demo", stdout=io.StringIO())
    staff = User.objects.get(email=DEMO_USERS[0][0])
    assert staff.is_superuser and staff.is_staff
    _add_missing_rows(staff)
    _fill_text()
    _make_public()

    meeting = Meeting.objects.get(
        pk=MinuteEntry.objects.order_by("pk").values_list("minutes__meeting", flat=True)[0]
    )
    event = (
        Meeting.objects.filter(kind=MeetingKind.PUBLIC_EVENT, registrations__isnull=False)
        .order_by("pk")
        .first()
    )
    # Staff is a member of the meeting's body, so that mail about it and the data
    # export have something of their own to say.
    if not Person.objects.filter(user=staff).exists():
        person = (
            Person.objects.filter(user=None, memberships__body_id=meeting.body_id)
            .order_by("pk")
            .first()
        )
        person.user = staff
        person.save(update_fields=["user"])
    survey = TopicSurvey.objects.order_by("pk").first()
    series = survey.series if survey else MeetingSeries.objects.order_by("pk").first()
    return World(
        staff=staff,
        body=Body.objects.get(pk=meeting.body_id),
        meeting=meeting,
        event=event,
        series=series,
        survey=survey,
        registration=Registration.objects.filter(meeting=event).order_by("pk").first(),
    )
