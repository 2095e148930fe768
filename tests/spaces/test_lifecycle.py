"""The status lifecycle: the one transition table, the service that walks it, the history."""

import datetime
import itertools

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import get_perms

from aks.accounts import roles
from bodies.access import Visibility
from bodies.models import Decision
from spaces import services
from spaces.models import ALLOWED_TRANSITIONS, Space, SpaceStatus, SpaceStatusChange
from tests.factories import BodyFactory
from tests.html import assert_valid_html

from .factories import DistrictFactory, SpaceFactory

S = SpaceStatus
# The lifecycle of the issue, written out pair by pair: reported → verified →
# in_negotiation → interim_use → secured, or lost; back from interim_use to
# in_negotiation; a negotiation may also end in securing the space directly.
EXPECTED_ALLOWED = {
    (S.REPORTED, S.VERIFIED),
    (S.REPORTED, S.LOST),
    (S.VERIFIED, S.IN_NEGOTIATION),
    (S.VERIFIED, S.LOST),
    (S.IN_NEGOTIATION, S.INTERIM_USE),
    (S.IN_NEGOTIATION, S.SECURED),
    (S.IN_NEGOTIATION, S.LOST),
    (S.INTERIM_USE, S.IN_NEGOTIATION),
    (S.INTERIM_USE, S.SECURED),
    (S.INTERIM_USE, S.LOST),
}
ALL_PAIRS = list(itertools.product(S.values, S.values))


def _decision(body=None, **kwargs):
    body = body or BodyFactory(short_name="SR", slug="sr-test")
    defaults = {
        "year": 2026,
        "sequence": Decision.objects.filter(body=body).count() + 1,
        "title": "Verhandlungen aufnehmen",
        "decided_on": datetime.date(2026, 5, 7),
    }
    defaults.update(kwargs)
    return Decision.objects.create(body=body, **defaults)


def test_the_table_is_exactly_the_lifecycle_of_the_issue():
    table = {(a, b) for a, targets in ALLOWED_TRANSITIONS.items() for b in targets}
    assert table == EXPECTED_ALLOWED
    assert set(ALLOWED_TRANSITIONS) == set(S.values)


@pytest.mark.django_db
@pytest.mark.parametrize(("from_status", "to_status"), sorted(EXPECTED_ALLOWED))
def test_every_allowed_transition_moves_the_space_and_records_the_step(
    make_user, from_status, to_status
):
    user = make_user(roles.V_INTERN)
    space = SpaceFactory(status=from_status)
    decision = _decision()

    change = services.change_status(
        space=space, to=to_status, user=user, note="Beschluss der SR", decision=decision
    )

    space.refresh_from_db()
    assert space.status == to_status
    change.refresh_from_db()
    assert (change.from_status, change.to_status) == (from_status, to_status)
    assert change.changed_by == user
    assert change.decision == decision
    assert change.note == "Beschluss der SR"
    assert abs(change.changed_at - timezone.now()) < datetime.timedelta(minutes=1)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("from_status", "to_status"),
    [pair for pair in ALL_PAIRS if pair not in EXPECTED_ALLOWED],
)
def test_every_forbidden_transition_is_refused_and_changes_nothing(
    make_user, from_status, to_status
):
    space = SpaceFactory(status=from_status)
    before = space.updated_at

    with pytest.raises(ValidationError) as refused:
        services.change_status(space=space, to=to_status, user=make_user(roles.V_INTERN))

    space.refresh_from_db()
    assert space.status == from_status
    assert space.updated_at == before
    assert not SpaceStatusChange.objects.filter(space=space).exists()
    assert refused.value.code in {"forbidden_transition", "final_status"}


@pytest.mark.django_db
def test_a_refused_transition_names_the_statuses_it_could_move_to(make_user):
    space = SpaceFactory(status=S.REPORTED)
    with pytest.raises(ValidationError) as refused:
        services.change_status(space=space, to=S.SECURED, user=make_user(roles.V_INTERN))
    message = refused.value.messages[0]
    # German by default (needs the merged catalogue for the sentence; the labels too).
    assert "Gemeldet" in message and "Gesichert" in message
    assert "Geprüft" in message and "Verloren" in message


@pytest.mark.django_db
def test_a_final_status_says_so(make_user):
    space = SpaceFactory(status=S.LOST)
    with pytest.raises(ValidationError) as refused:
        services.change_status(space=space, to=S.REPORTED, user=make_user(roles.V_INTERN))
    assert refused.value.code == "final_status"
    assert "Verloren" in refused.value.messages[0]


@pytest.mark.django_db
def test_an_unknown_status_is_refused(make_user):
    space = SpaceFactory(status=S.REPORTED)
    with pytest.raises(ValidationError):
        services.change_status(space=space, to="vanished", user=make_user(roles.V_INTERN))
    assert Space.objects.get(pk=space.pk).status == S.REPORTED


@pytest.mark.django_db
def test_the_check_reads_the_stored_status_not_a_stale_object(make_user):
    """Two people moving one space: the second works from a stale copy and is refused."""
    user = make_user(roles.V_EXTERN)
    space = SpaceFactory(status=S.VERIFIED)
    stale = Space.objects.get(pk=space.pk)
    services.change_status(space=space, to=S.LOST, user=user)
    with pytest.raises(ValidationError):
        services.change_status(space=stale, to=S.IN_NEGOTIATION, user=user)
    assert Space.objects.get(pk=space.pk).status == S.LOST
    assert SpaceStatusChange.objects.filter(space=space).count() == 1


@pytest.mark.django_db
def test_a_whole_life_is_kept_in_order(make_user):
    user = make_user(roles.V_INTERN)
    space = services.create_space(
        space=SpaceFactory.build(district=DistrictFactory(), owner_organisation=None),
        user=user,
    )
    for status in (S.VERIFIED, S.IN_NEGOTIATION, S.INTERIM_USE, S.IN_NEGOTIATION, S.SECURED):
        services.change_status(space=space, to=status, user=user)
    steps = list(
        space.status_changes.order_by("changed_at", "pk").values_list("from_status", "to_status")
    )
    assert steps == [
        ("", S.REPORTED),
        (S.REPORTED, S.VERIFIED),
        (S.VERIFIED, S.IN_NEGOTIATION),
        (S.IN_NEGOTIATION, S.INTERIM_USE),
        (S.INTERIM_USE, S.IN_NEGOTIATION),
        (S.IN_NEGOTIATION, S.SECURED),
    ]


@pytest.mark.django_db
def test_a_new_space_starts_reported_with_a_first_step_from_nothing(make_user):
    user = make_user(roles.V_EXTERN)
    space = SpaceFactory.build(district=DistrictFactory(), owner_organisation=None)
    space.status = S.SECURED  # ignored: every space starts as reported
    services.create_space(space=space, user=user, note="Beim Rundgang gesehen")
    space.refresh_from_db()
    assert space.status == S.REPORTED
    assert space.reported_by == user
    (first,) = space.status_changes.all()
    assert (first.from_status, first.to_status, first.note) == (
        "",
        S.REPORTED,
        "Beim Rundgang gesehen",
    )


@pytest.mark.django_db
def test_a_report_is_seen_by_the_team_and_the_reporter_only(make_user):
    from spaces.models import Space as SpaceModel

    member = make_user(roles.ASSOCIATION_MEMBER)
    other_member = make_user(roles.ASSOCIATION_MEMBER)
    space = SpaceFactory.build(
        district=DistrictFactory(), owner_organisation=None, visibility=Visibility.PUBLIC
    )
    services.report_vacancy(space=space, user=member)

    assert space.visibility == Visibility.TEAM
    assert space.owner_visibility == Visibility.TEAM
    assert space.status == S.REPORTED
    assert get_perms(member, space) == ["view_space"]
    assert SpaceModel.objects.visible_to(member).filter(pk=space.pk).exists()
    assert not SpaceModel.objects.visible_to(other_member).filter(pk=space.pk).exists()
    assert not SpaceModel.objects.visible_to(None).filter(pk=space.pk).exists()
    assert SpaceModel.objects.visible_to(make_user(roles.V_EXTERN)).filter(pk=space.pk).exists()
    assert SpaceModel.objects.visible_to(make_user(roles.COUNCILLOR)).filter(pk=space.pk).exists()


@pytest.mark.django_db
def test_the_page_shows_the_timeline_with_visible_decisions_only(client, make_user):
    staff = make_user(roles.V_INTERN)
    space = SpaceFactory(status=S.REPORTED)
    public = _decision(title="Prüfung beauftragt")
    hidden_body = BodyFactory(visibility=Visibility.ADMIN_INTERNAL)
    hidden = _decision(body=hidden_body, title="Interner Beschluss Kaufpreis")
    services.change_status(space=space, to=S.VERIFIED, user=staff, decision=public)
    services.change_status(
        space=space, to=S.IN_NEGOTIATION, user=staff, decision=hidden, note="Gespräch geführt"
    )

    response = client.get(reverse("spaces:detail", args=[space.pk]))
    content = response.content.decode()
    assert_valid_html(response)
    assert "Prüfung beauftragt" in content
    assert public.number in content
    assert "Gespräch geführt" in content
    assert "Interner Beschluss Kaufpreis" not in content
    assert hidden.number not in content
    assert content.index("Prüfung beauftragt") < content.index("Gespräch geführt")
    # Who made a step is for those who may change the space.
    assert str(staff) not in content

    client.force_login(staff)
    content = client.get(reverse("spaces:detail", args=[space.pk])).content.decode()
    assert "Interner Beschluss Kaufpreis" in content
    assert str(staff) in content


@pytest.mark.django_db
def test_staff_change_the_status_on_the_page(client, make_user):
    staff = make_user(roles.V_EXTERN)
    space = SpaceFactory(status=S.VERIFIED)
    decision = _decision()
    client.force_login(staff)
    page = client.get(reverse("spaces:detail", args=[space.pk]))
    assert_valid_html(page)
    assert 'name="to"' in page.content.decode()

    response = client.post(
        reverse("spaces:change_status", args=[space.pk]),
        {"to": S.IN_NEGOTIATION, "decision": decision.pk, "note": "Auftakt"},
    )
    assert response.status_code == 302
    space.refresh_from_db()
    assert space.status == S.IN_NEGOTIATION
    assert space.status_changes.get().decision == decision


@pytest.mark.django_db
def test_a_forbidden_step_through_the_page_shows_the_reason_and_changes_nothing(client, make_user):
    client.force_login(make_user(roles.V_INTERN))
    space = SpaceFactory(status=S.REPORTED)
    response = client.post(
        reverse("spaces:change_status", args=[space.pk]), {"to": S.SECURED, "note": "x"}
    )
    assert response.status_code == 400
    assert_valid_html(response)
    assert "error-summary" in response.content.decode()
    assert Space.objects.get(pk=space.pk).status == S.REPORTED
    assert not SpaceStatusChange.objects.exists()


@pytest.mark.django_db
def test_the_status_form_offers_only_the_allowed_next_statuses(client, make_user):
    client.force_login(make_user(roles.V_INTERN))
    space = SpaceFactory(status=S.IN_NEGOTIATION)
    content = client.get(reverse("spaces:detail", args=[space.pk])).content.decode()
    form = content[
        content.index('name="to"') : content.index("</select>", content.index('name="to"'))
    ]
    assert 'value="interim_use"' in form and 'value="secured"' in form and 'value="lost"' in form
    assert 'value="reported"' not in form and 'value="verified"' not in form


@pytest.mark.django_db
def test_a_final_space_offers_no_status_form(client, make_user):
    client.force_login(make_user(roles.V_INTERN))
    space = SpaceFactory(status=S.SECURED)
    assert 'name="to"' not in client.get(reverse("spaces:detail", args=[space.pk])).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("role", [None, roles.ASSOCIATION_MEMBER, roles.COUNCILLOR])
def test_only_staff_may_change_the_status(client, make_user, role):
    space = SpaceFactory(status=S.VERIFIED, visibility=Visibility.PUBLIC)
    if role:
        client.force_login(make_user(role))
    response = client.post(
        reverse("spaces:change_status", args=[space.pk]), {"to": S.IN_NEGOTIATION}
    )
    assert response.status_code in (302, 403)
    if role:
        assert response.status_code == 403
    else:
        assert response["Location"].startswith(reverse("accounts:login"))
    assert Space.objects.get(pk=space.pk).status == S.VERIFIED


@pytest.mark.django_db
def test_a_decision_the_user_may_not_see_cannot_be_chosen(client, make_user):
    client.force_login(make_user(roles.V_EXTERN))
    space = SpaceFactory(status=S.VERIFIED)
    hidden = _decision(body=BodyFactory(visibility=Visibility.ADMIN_INTERNAL))
    response = client.post(
        reverse("spaces:change_status", args=[space.pk]),
        {"to": S.IN_NEGOTIATION, "decision": hidden.pk},
    )
    assert response.status_code == 400
    assert Space.objects.get(pk=space.pk).status == S.VERIFIED


@pytest.mark.django_db(transaction=True)
def test_two_people_taking_one_space_into_negotiation_at_once_record_one_step(
    make_user, monkeypatch
):
    """The space row is locked for the check and the write (PostgreSQL row locks)."""
    import threading
    import time

    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("row locks need PostgreSQL; SQLite serialises all writes anyway")
    user = make_user()
    space = SpaceFactory(status=S.VERIFIED)
    barrier = threading.Barrier(2)
    check = services.is_allowed_transition

    def slow_check(from_status, to_status):
        # Widen the window between reading the status and writing the step.
        allowed = check(from_status, to_status)
        time.sleep(0.3)
        return allowed

    monkeypatch.setattr(services, "is_allowed_transition", slow_check)
    results = []

    def move():
        from django.db import connection as thread_connection

        try:
            barrier.wait()
            services.change_status(
                space=Space.objects.get(pk=space.pk), to=S.IN_NEGOTIATION, user=user
            )
            results.append("moved")
        except ValidationError:
            results.append("refused")
        finally:
            thread_connection.close()

    threads = [threading.Thread(target=move) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(results) == ["moved", "refused"]
    assert SpaceStatusChange.objects.filter(space=space).count() == 1
