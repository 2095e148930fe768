"""The lists the fuzz tests ask with hostile query parameters: for each URL name, how
to reach the list in the demo world and which parameters it reads (with a value it
accepts, where one is needed). Used by test_fuzz_lists.py and, to check that every
query form is fuzzed through its list, by test_fuzz_forms.py."""

from dataclasses import dataclass, field

from django.urls import reverse

from .fuzz_support import demo_user

HTML, JSON, ICS, CSV, GEOJSON = "html", "json", "ics", "csv", "geojson"


@dataclass
class ListCase:
    url: str
    # Parameter name -> a value the list accepts.
    params: dict = field(default_factory=dict)
    kind: str = HTML


def _filter_params(filterset_class) -> list[str]:
    return list(filterset_class.base_filters)


def _names(*groups, **valid) -> dict:
    params = {}
    for group in (*groups, valid):
        params.update(group if isinstance(group, dict) else dict.fromkeys(group))
    return params


def _first(model, **filters):
    return model.objects.filter(**filters).order_by("pk").first()


def _bodies(name, filterset, **valid):
    def make():
        return ListCase(reverse(name), _names(_filter_params(filterset), ["page"], valid))

    return make


def list_body_polls():
    return ListCase(reverse("bodies:polls", args=["steuerungsrunde"]), {"page": "1"})


def list_workstream():
    from bodies.models import Workstream

    number = Workstream.objects.order_by("number").first().number
    return ListCase(reverse("bodies:workstream", args=[number]), {"page": "1"})


def _spaces(name, kind=HTML):
    def make():
        from spaces.filters import SpaceFilter

        return ListCase(
            reverse(name),
            _names(_filter_params(SpaceFilter), ["page"], {"status": "reported"}),
            kind,
        )

    return make


def list_needs():
    from spaces.filters import NeedFilter

    return ListCase(reverse("spaces:need_list"), _names(_filter_params(NeedFilter), ["page"]))


def list_meetings():
    from meetings.filters import MeetingFilter

    return ListCase(
        reverse("meetings:list"),
        _names(_filter_params(MeetingFilter), ["page"], {"date_from": "2026-01-01"}),
    )


def list_action_items():
    from meetings.filters import ActionItemFilter

    return ListCase(
        reverse("meetings:action_items"), _names(_filter_params(ActionItemFilter), ["page"])
    )


def list_commitments():
    from meetings.filters import CommitmentFilter

    return ListCase(
        reverse("meetings:commitments"), _names(_filter_params(CommitmentFilter), ["page"])
    )


def list_events():
    from meetings.filters_events import EventFilter

    return ListCase(
        reverse("meetings:event_list"),
        _names(_filter_params(EventFilter), ["page"], {"when": "past"}),
    )


def list_check_in():
    from meetings.forms_events import CheckInSearchForm
    from meetings.models import Meeting

    meeting = _first(Meeting, kind="public_event", registrations__isnull=False)
    return ListCase(
        reverse("meetings:event_check_in", args=[meeting.pk]),
        _names(CheckInSearchForm.base_fields),
    )


def list_series():
    from meetings.models import MeetingSeries

    series = _first(MeetingSeries, kind="public_event")
    return ListCase(reverse("meetings:series_detail", args=[series.pk]), {"page": "1"})


def _plain(name, kind=HTML, args=None, **params):
    def make():
        return ListCase(reverse(name, args=args() if args else None), dict(params), kind)

    return make


def _body_slug():
    return ["steuerungsrunde"]


def _series_pk():
    from meetings.models import MeetingSeries

    return [_first(MeetingSeries, kind="public_event").pk]


def _personal_token():
    from meetings import calendar

    return [calendar.ensure_calendar_token(user=demo_user("v-intern")).token]


def list_search():
    from aks.portal.search import SearchForm

    return ListCase(reverse("portal:search"), _names(SearchForm.base_fields, ["page"], q="Raum"))


def list_activity():
    from aks.portal.views_activity import ActivityFilterForm

    return ListCase(reverse("portal:activity"), _names(ActivityFilterForm.base_fields))


OPARL_PARAMS = {
    "page": "1",
    "limit": "2",
    "omit_internal": "true",
    "created_since": "2020-01-01T00:00:00+01:00",
    "created_until": None,
    "modified_since": None,
    "modified_until": "2100-01-01T00:00:00+00:00",
}


def _oparl(name, per_body=True):
    def make():
        from oparl.serializers import BODY_ID

        return ListCase(
            reverse(f"oparl:{name}", args=[BODY_ID] if per_body else None), OPARL_PARAMS, JSON
        )

    return make


def _planning(name):
    def make():
        from bodies.models import Body

        return ListCase(reverse(name), {"body": str(Body.objects.get(slug="aks-team").pk)})

    return make


def _bodies_lists():
    from bodies.filters import BodyFilter, DecisionFilter, WorkstreamFilter

    return {
        "bodies:list": _bodies("bodies:list", BodyFilter, kind="team"),
        "bodies:decisions": _bodies("bodies:decisions", DecisionFilter, year="2026"),
        "bodies:workstreams": _bodies("bodies:workstreams", WorkstreamFilter, q="#1"),
    }


# URL name -> how to ask the list.
def list_question_add():
    from meetings.models import Meeting

    meeting = _first(Meeting, body__slug="aks-team", status="planned")
    return ListCase(reverse("meetings:question_add", args=[meeting.pk]), {"top": "1"})


LIST_CASES = {
    **_bodies_lists(),
    "bodies:polls": list_body_polls,
    "bodies:workstream": list_workstream,
    "spaces:list": _spaces("spaces:list"),
    "spaces:map": _spaces("spaces:map"),
    "spaces:geojson": _spaces("spaces:geojson", GEOJSON),
    "spaces:csv": _spaces("spaces:csv", CSV),
    "spaces:need_list": list_needs,
    "meetings:list": list_meetings,
    "meetings:action_items": list_action_items,
    "meetings:commitments": list_commitments,
    "meetings:tracker": _plain("meetings:tracker"),
    "meetings:event_list": list_events,
    "meetings:event_check_in": list_check_in,
    "meetings:series_detail": list_series,
    "meetings:question_add": list_question_add,
    "meetings:meeting_create": _planning("meetings:meeting_create"),
    "meetings:series_create": _planning("meetings:series_create"),
    "meetings:calendar_page": _plain("meetings:calendar_page"),
    "meetings:calendar": _plain("meetings:calendar", ICS),
    "meetings:calendar_body": _plain("meetings:calendar_body", ICS, _body_slug),
    "meetings:calendar_series": _plain("meetings:calendar_series", ICS, _series_pk),
    "meetings:calendar_personal": _plain("meetings:calendar_personal", ICS, _personal_token),
    "portal:search": list_search,
    "portal:activity": list_activity,
    "portal:dashboard": _plain("portal:dashboard"),
    "oparl:system": _oparl("system", per_body=False),
    "oparl:body_list": _oparl("body_list", per_body=False),
    **{
        f"oparl:{name}": _oparl(name)
        for name in (
            "organization_list",
            "person_list",
            "membership_list",
            "meeting_list",
            "agenda_item_list",
            "paper_list",
            "file_list",
            "location_list",
            "legislative_term_list",
        )
    },
}
