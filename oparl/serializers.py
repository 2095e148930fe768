"""Platform objects as OParl 1.1 objects (plain dicts, ready for JSON).

Strings here are data, not interface text: labels of choices come out in German
(the views run under ``translation.override("de")``). Properties without a value
are left out, as the specification recommends, instead of ``null`` or ``[]``.
"""

import datetime

from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from bodies.models import BodyKind, OrganisationKind

from . import votes

SCHEMA = "https://schema.oparl.org/1.1/"
OPARL_VERSION = "https://schema.oparl.org/1.1/"
BODY_ID = 1
# The whole co-governance structure is one OParl Body.
BODY_NAME = "Arbeits- und Koordinierungsstruktur Gemeinwohl Friedrichshain-Kreuzberg"
BODY_SHORT_NAME = "AKS Gemeinwohl"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"

# OParl's recommended values for organizationType.
ORGANIZATION_TYPE_OF_KIND = {
    OrganisationKind.DISTRICT_OFFICE: "Verwaltungsbereich",
    OrganisationKind.SENATE_DEPARTMENT: "Verwaltungsbereich",
    OrganisationKind.DISTRICT_COUNCIL: "externes Gremium",
    OrganisationKind.HOUSING_COMPANY: "Institution",
    OrganisationKind.PROPERTY_MANAGER: "Institution",
    OrganisationKind.ASSOCIATION: "Institution",
    OrganisationKind.INITIATIVE: "Institution",
    OrganisationKind.FOUNDATION: "Institution",
    OrganisationKind.BUSINESS: "Sonstiges",
    OrganisationKind.MEDIA: "Sonstiges",
    OrganisationKind.OTHER: "Sonstiges",
}

MEETING_STATE = {
    "planned": "terminiert",
    "invited": "eingeladen",
    "held": "durchgeführt",
    "cancelled": "abgesagt",
}


class Context:
    """What every serializer needs from the request: absolute URLs and timestamps."""

    def __init__(self, request, clock, omit_internal: bool = False):
        self.request = request
        self.clock = clock
        self.omit_internal = omit_internal
        self._document_urls: dict[str, bool] = {}

    def absolute(self, path: str) -> str:
        return self.request.build_absolute_uri(path)

    def url(self, name: str, *args) -> str:
        return self.absolute(reverse(f"oparl:{name}", args=args))

    def datetime(self, value: datetime.datetime) -> str:
        return timezone.localtime(value).isoformat(timespec="seconds")

    def stamps(self, obj) -> dict:
        created = getattr(obj, "oparl_created", None) or self.clock.epoch
        modified = getattr(obj, "oparl_modified", None) or self.clock.now
        return {"created": self.datetime(created), "modified": self.datetime(modified)}

    def document_url(self, name: str, meeting_pk: int) -> str | None:
        """The PDF view of the meetings app, or None while it is not mounted."""
        if self._document_urls.get(name) is False:
            return None
        try:
            url = reverse(f"meetings:{name}", kwargs={"pk": meeting_pk})
        except NoReverseMatch:
            self._document_urls[name] = False
            return None
        self._document_urls[name] = True
        return self.absolute(url)


def _compact(data: dict) -> dict:
    return {key: value for key, value in data.items() if value not in (None, "", [], {})}


def _label(choices, value) -> str:
    return str(choices(value).label) if value in choices.values else value


# --- System and Body -------------------------------------------------------------------


def system(ctx: Context) -> dict:
    return _compact(
        {
            "id": ctx.url("system"),
            "type": SCHEMA + "System",
            "oparlVersion": OPARL_VERSION,
            "name": BODY_SHORT_NAME,
            "body": ctx.url("body_list"),
            "license": LICENSE,
            "website": ctx.absolute("/"),
            "web": ctx.absolute("/"),
            "created": ctx.datetime(ctx.clock.epoch),
            "modified": ctx.datetime(ctx.clock.now),
        }
    )


def body(ctx: Context) -> dict:
    return _compact(
        {
            "id": ctx.url("body", BODY_ID),
            "type": SCHEMA + "Body",
            "system": ctx.url("system"),
            "name": BODY_NAME,
            "shortName": BODY_SHORT_NAME,
            "website": ctx.absolute("/"),
            "license": LICENSE,
            "classification": "Kooperationsgremium",
            "organization": ctx.url("organization_list", BODY_ID),
            "person": ctx.url("person_list", BODY_ID),
            "meeting": ctx.url("meeting_list", BODY_ID),
            "paper": ctx.url("paper_list", BODY_ID),
            "agendaItem": ctx.url("agenda_item_list", BODY_ID),
            "file": ctx.url("file_list", BODY_ID),
            "locationList": ctx.url("location_list", BODY_ID),
            "membership": ctx.url("membership_list", BODY_ID),
            "legislativeTermList": ctx.url("legislative_term_list", BODY_ID),
            "web": ctx.absolute("/"),
            "created": ctx.datetime(ctx.clock.epoch),
            "modified": ctx.datetime(ctx.clock.now),
        }
    ) | {
        # Required, even when empty: the structure has no legislative terms.
        "legislativeTerm": [],
    }


# --- Organizations, people, memberships ------------------------------------------------


def body_organization(ctx: Context, obj) -> dict:
    return _compact(
        {
            "id": ctx.url("organization_body", obj.pk),
            "type": SCHEMA + "Organization",
            "body": ctx.url("body", BODY_ID),
            "name": obj.name,
            "shortName": obj.short_name,
            "organizationType": "Gremium",
            "classification": _label(BodyKind, obj.kind),
            "subOrganizationOf": (
                ctx.url("organization_body", obj.parent_id)
                if obj.parent_id and getattr(obj, "parent_public", False)
                else None
            ),
            "membership": [ctx.url("membership", m.pk) for m in obj.oparl_memberships],
            "web": ctx.absolute(obj.get_absolute_url()),
            **ctx.stamps(obj),
        }
    )


def organisation_organization(ctx: Context, obj) -> dict:
    return _compact(
        {
            "id": ctx.url("organization_organisation", obj.pk),
            "type": SCHEMA + "Organization",
            "body": ctx.url("body", BODY_ID),
            "name": obj.name,
            "shortName": obj.short_name,
            "organizationType": ORGANIZATION_TYPE_OF_KIND.get(obj.kind, "Sonstiges"),
            "classification": _label(OrganisationKind, obj.kind),
            "website": obj.website,
            **ctx.stamps(obj),
        }
    )


def membership(ctx: Context, obj) -> dict:
    from bodies.models import MembershipRole

    return _compact(
        {
            "id": ctx.url("membership", obj.pk),
            "type": SCHEMA + "Membership",
            "person": ctx.url("person", obj.person_id),
            "organization": ctx.url("organization_body", obj.body_id),
            "role": _label(MembershipRole, obj.role),
            "votingRight": obj.voting_right,
            "startDate": obj.start.isoformat(),
            "endDate": obj.end.isoformat() if obj.end else None,
            # A delegate (or any member) speaking for a member group.
            "onBehalfOf": (
                ctx.url("organization_organisation", obj.organisation_id)
                if obj.organisation_id
                else None
            ),
            **ctx.stamps(obj),
        }
    )


def person(ctx: Context, obj) -> dict:
    # Only the name: e-mail address, account and the organisation someone works
    # for are not shown on any public page.
    data = {
        "id": ctx.url("person", obj.pk),
        "type": SCHEMA + "Person",
        "body": ctx.url("body", BODY_ID),
        "name": obj.name,
        **ctx.stamps(obj),
    }
    if not ctx.omit_internal:
        data["membership"] = [membership(ctx, m) for m in obj.oparl_memberships]
    return _compact(data)


# --- Meetings, agenda items, papers ----------------------------------------------------


def _agenda_item(ctx: Context, item, number: str, order: int, with_meeting: bool) -> dict:
    polls = getattr(item, "oparl_polls", [])
    decisions = getattr(item, "oparl_decisions", [])
    resolution = "\n\n".join(
        "\n".join(part for part in (f"{d.number} {d.title}", d.text) if part) for d in decisions
    )
    data = _compact(
        {
            "id": ctx.url("agenda_item", item.pk),
            "type": SCHEMA + "AgendaItem",
            "meeting": ctx.url("meeting", item.meeting_id) if with_meeting else None,
            "number": number,
            "name": item.title,
            # Only items the public may see leave the platform.
            "public": True,
            "result": votes.result_label(polls, decisions),
            "resolutionText": resolution,
            "web": ctx.absolute(reverse("meetings:detail", kwargs={"pk": item.meeting_id})),
            **ctx.stamps(item),
        }
    )
    data["order"] = order
    if polls:
        data[votes.EXTENSION_KEY] = [votes.vote_event(poll, ctx) for poll in polls]
    return data


def agenda_item(ctx: Context, item, numbers: dict) -> dict:
    number, order = numbers[item.pk]
    return _agenda_item(ctx, item, number, order, with_meeting=True)


def _agenda_file(ctx: Context, meeting) -> dict | None:
    url = ctx.document_url("agenda_pdf", meeting.pk)
    if url is None:
        return None
    return _compact(
        {
            "id": ctx.url("file_agenda", meeting.pk),
            "type": SCHEMA + "File",
            "name": f"Tagesordnung: {meeting.title}",
            "fileName": f"tagesordnung-{meeting.pk}.pdf",
            "mimeType": "application/pdf",
            "date": timezone.localdate(meeting.start).isoformat(),
            "accessUrl": f"{url}?anzeigen=1",
            "downloadUrl": url,
            "meeting": [ctx.url("meeting", meeting.pk)],
            **ctx.stamps(meeting),
        }
    )


def _minutes_file(ctx: Context, meeting, created=None) -> dict | None:
    url = ctx.document_url("minutes_pdf", meeting.pk)
    if url is None:
        return None
    stamps = ctx.stamps(meeting)
    if created:
        stamps["created"] = ctx.datetime(created)
    return _compact(
        {
            "id": ctx.url("file_minutes", meeting.pk),
            "type": SCHEMA + "File",
            "name": f"Protokoll: {meeting.title}",
            "fileName": f"protokoll-{meeting.pk}.pdf",
            "mimeType": "application/pdf",
            "date": timezone.localdate(meeting.start).isoformat(),
            "accessUrl": f"{url}?anzeigen=1",
            "downloadUrl": url,
            "meeting": [ctx.url("meeting", meeting.pk)],
            **stamps,
        }
    )


def agenda_file(ctx: Context, meeting) -> dict | None:
    return _agenda_file(ctx, meeting)


def minutes_file(ctx: Context, meeting) -> dict | None:
    # In the file list the meeting row carries the minutes' own creation time.
    return _minutes_file(ctx, meeting)


def space_location(ctx: Context, space) -> dict:
    data = {
        "id": ctx.url("location_space", space.pk),
        "type": SCHEMA + "Location",
        "description": f"{space.name}, {space.address}, {space.postcode} Berlin",
        "streetAddress": space.address,
        "postalCode": space.postcode,
        "subLocality": space.district.name if space.district_id else None,
        "locality": "Berlin",
        "web": ctx.absolute(space.get_absolute_url()),
        **ctx.stamps(space),
    }
    if space.has_coordinates:
        # GeoJSON orders longitude before latitude (RFC 7946).
        data["geojson"] = {
            "type": "Feature",
            "geometry": {
                "type": "Point",
                "coordinates": [float(space.longitude), float(space.latitude)],
            },
            "properties": {"name": space.name},
        }
    return _compact(data)


def place_location(ctx: Context, meeting) -> dict:
    return _compact(
        {
            "id": ctx.url("location_meeting", meeting.pk),
            "type": SCHEMA + "Location",
            "description": meeting.place,
            "locality": "Berlin",
            "meetings": [ctx.url("meeting", meeting.pk)],
            **ctx.stamps(meeting),
        }
    )


def _meeting_location(ctx: Context, meeting) -> dict | None:
    if meeting.space_id and getattr(meeting, "space_public", False):
        # Embedded objects carry their own timestamps; the space has real ones.
        space = meeting.space
        space.oparl_created, space.oparl_modified = space.created_at, space.updated_at
        return space_location(ctx, space)
    if meeting.place:
        return place_location(ctx, meeting)
    return None


def meeting(ctx: Context, obj) -> dict:
    agenda_file_ = _agenda_file(ctx, obj)
    minutes_file_ = (
        _minutes_file(ctx, obj, getattr(obj, "minutes_created", None))
        if getattr(obj, "minutes_public", False)
        else None
    )
    participants = [
        ctx.url("person", pk) for pk in dict.fromkeys((obj.moderator_id, obj.minute_taker_id)) if pk
    ]
    data = {
        "id": ctx.url("meeting", obj.pk),
        "type": SCHEMA + "Meeting",
        "name": obj.title,
        "meetingState": MEETING_STATE.get(obj.status, obj.status),
        "cancelled": obj.status == "cancelled",
        "start": ctx.datetime(obj.start),
        "end": ctx.datetime(obj.end),
        "location": _meeting_location(ctx, obj),
        "organization": [ctx.url("organization_body", obj.body_id)],
        "participant": participants,
        "invitation": agenda_file_,
        "resultsProtocol": minutes_file_,
        "web": ctx.absolute(obj.get_absolute_url()),
        **ctx.stamps(obj),
    }
    if not ctx.omit_internal:
        data["auxiliaryFile"] = [f for f in (agenda_file_, minutes_file_) if f]
        from .selectors import number_items

        items = obj.oparl_items
        by_pk = {item.pk: item for item in items}
        numbers = number_items(
            [
                {"pk": i.pk, "parent_id": i.parent_id, "public": i.pk in by_pk}
                for i in obj.oparl_numbering
            ]
        )
        data["agendaItem"] = [
            _agenda_item(ctx, by_pk[pk], number, order, with_meeting=False)
            for pk, (number, order) in sorted(numbers.items(), key=lambda kv: kv[1][1])
        ]
    return _compact(data)


def paper(ctx: Context, obj) -> dict:
    return _compact(
        {
            "id": ctx.url("paper", obj.pk),
            "type": SCHEMA + "Paper",
            "body": ctx.url("body", BODY_ID),
            "name": obj.title,
            "reference": obj.number,
            "date": obj.decided_on.isoformat(),
            "paperType": "Beschluss",
            "underDirectionOf": [ctx.url("organization_body", obj.body_id)],
            # The decision's wording: OParl keeps it in a file, we have it as text.
            "gemeinwohl:text": obj.text,
            "gemeinwohl:status": obj.status,
            "web": ctx.absolute(obj.get_absolute_url()),
            **ctx.stamps(obj),
        }
    )


# --- Deleted objects -------------------------------------------------------------------


def tombstone(ctx: Context, obj) -> dict:
    """A deleted or depublished object (OParl 2.8): ``id``, ``type`` and ``created`` as
    published, ``modified`` the time it went, ``deleted``, and whatever the schema
    requires of every object of its type (``order`` of an AgendaItem)."""
    return {
        "id": ctx.absolute(reverse("oparl:system") + obj.key),
        "type": SCHEMA + obj.type,
        **obj.extra,
        "created": ctx.datetime(obj.created or ctx.clock.epoch),
        "modified": ctx.datetime(obj.deleted_at),
        "deleted": True,
    }
