"""Walk the whole endpoint at demo scale and validate every object against the
OParl 1.1 JSON schemas in ``../shared/oparl/schema/`` (not copied into the project)."""

import pytest
from django.core.management import call_command

from tests.oparl.schema import TYPE_PREFIX, validate


def _richer_demo():
    """The demo, plus what it lacks for a full walk: a public vote on a public agenda
    item and a meeting held in a public space."""
    from django.contrib.auth.models import AnonymousUser

    from bodies.models import Poll
    from meetings.models import AgendaItem, Meeting
    from spaces.models import Space

    call_command("seed_demo")
    anonymous = AnonymousUser()
    item = AgendaItem.objects.visible_to(anonymous).order_by("pk").first()
    item.polls.add(*Poll.objects.visible_to(anonymous).filter(status="closed"))
    meeting = Meeting.objects.visible_to(anonymous).exclude(pk=item.meeting_id).first()
    meeting.space = Space.objects.visible_to(anonymous).exclude(latitude=None).first()
    meeting.save(update_fields=["space"])


def _walk(api, url, seen):
    """Every object of the list at ``url``, following ``next`` to the last page."""
    objects, pages = [], 0
    while url:
        assert url not in seen, f"page visited twice: {url}"
        seen.add(url)
        page = api(url)
        assert set(page) >= {"data", "pagination", "links"}
        pages += 1
        objects.extend(page["data"])
        url = page["links"].get("next")
        if url is None:
            assert page["pagination"]["currentPage"] == page["pagination"]["totalPages"]
    return objects, pages


def _embedded(obj: dict):
    """Objects given inside ``obj`` (agenda items, memberships, files, locations)."""
    for value in obj.values():
        values = value if isinstance(value, list) else [value]
        for inner in values:
            if isinstance(inner, dict) and "type" in inner and "id" in inner:
                yield inner
                yield from _embedded(inner)


def _without_modified(value):
    """Untracked objects report the request time as ``modified`` (README, "OParl")."""
    if isinstance(value, dict):
        return {k: _without_modified(v) for k, v in value.items() if k != "modified"}
    if isinstance(value, list):
        return [_without_modified(v) for v in value]
    return value


def _links(obj: dict, base: str):
    for key, value in obj.items():
        if key in ("id", "web", "accessUrl", "website") or key.startswith("gemeinwohl:"):
            continue
        values = value if isinstance(value, list) else [value]
        for inner in values:
            if isinstance(inner, str) and inner.startswith(base):
                yield inner
            elif isinstance(inner, dict):
                yield from _links(inner, base)


@pytest.mark.django_db
def test_it_validates_every_object_of_the_demo_against_the_oparl_schemas(
    api, validators, settings, document_urls
):
    settings.OPARL_PAGE_SIZE = 4  # several pages per list, to follow ``next``
    _richer_demo()

    system = api("/oparl/v1/")
    validate(validators, system)
    seen: set[str] = set()
    bodies, _pages = _walk(api, system["body"], seen)
    assert len(bodies) == 1

    by_id: dict[str, dict] = {}
    kinds: dict[str, int] = {}
    multi_page_lists = 0
    for body in bodies:
        validate(validators, body)
        lists = [
            value
            for key, value in body.items()
            if isinstance(value, str)
            and key not in ("id", "system", "web", "website", "license")
            and value.startswith("http://testserver/oparl/")
        ]
        assert len(lists) == 9
        for url in lists:
            objects, pages = _walk(api, url, seen)
            multi_page_lists += pages > 1
            for obj in objects:
                kind = validate(validators, obj)
                kinds[kind] = kinds.get(kind, 0) + 1
                assert obj["id"] not in by_id, f"{obj['id']} listed twice"
                by_id[obj["id"]] = obj
                for inner in _embedded(obj):
                    validate(validators, inner)

    assert multi_page_lists >= 4
    for kind in ("Organization", "Person", "Membership", "Meeting", "AgendaItem", "Paper"):
        assert kinds.get(kind), f"no {kind} in the walk"
    assert kinds.get("File") and kinds.get("Location")
    assert any("gemeinwohl:voteEvents" in obj for obj in by_id.values())
    assert any("geojson" in obj for obj in by_id.values())

    # Every object answers at its own URL with what the list said, and every link
    # between objects leads to an object of the lists: none points at something hidden.
    for object_id, obj in by_id.items():
        assert _without_modified(api(object_id)) == _without_modified(obj)
        for link in _links(obj, "http://testserver/oparl/"):
            assert link in by_id or link.rstrip("/").endswith("/body/1"), (object_id, link)


def test_it_checks_embedded_objects_and_oparl_dates_not_only_the_top_level(validators):
    meeting = {
        "id": "http://testserver/oparl/v1/meeting/1/",
        "type": TYPE_PREFIX + "Meeting",
        "start": "2026-01-01T10:00:00+01:00",
        "agendaItem": [{"id": "http://testserver/x", "type": TYPE_PREFIX + "AgendaItem"}],
    }
    errors = list(validators["Meeting"].iter_errors(meeting))
    assert any("'order' is a required property" in e.message for e in errors)
    meeting["agendaItem"][0]["order"] = 0
    assert not list(validators["Meeting"].iter_errors(meeting))
    meeting["start"] = "2026-01-01T10:00Z"
    assert list(validators["Meeting"].iter_errors(meeting))
