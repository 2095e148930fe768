"""Poll and decision pages: who sees and does what, in the browser's terms."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.formats import date_format

from aks.accounts import roles
from bodies.access import Visibility
from bodies.models import Decision, Poll, PollStatus, Vote, VotingUnit
from bodies.services import (
    cancel_poll,
    cast_vote,
    close_poll,
    create_poll,
    open_poll,
    record_decision,
)
from tests.factories import (
    XSS,
    BodyFactory,
    MembershipFactory,
    OrganisationFactory,
    PersonFactory,
)
from tests.html import assert_valid_html
from tests.personas import PERSONAS, SEES

pytestmark = pytest.mark.django_db


def yes(poll):
    return poll.options.get(meaning="yes").pk


def _login(client, user):
    if user is not None:
        client.force_login(user)
    return client


@pytest.mark.parametrize("name", PERSONAS)
@pytest.mark.parametrize("level", Visibility.values)
def test_poll_and_decision_pages_follow_the_kernel(client, persona, name, level):
    body = BodyFactory(visibility=Visibility.PUBLIC)
    poll = open_poll(poll=create_poll(body=body, title=f"Antrag {XSS}", visibility=level))
    decision = record_decision(
        body=body, title="Beschluss X", decided_on=datetime.date(2026, 3, 1), visibility=level
    )
    user = persona(name, body=body)
    _login(client, user)
    expected = level in SEES[name]
    status = 200 if expected else 404
    assert client.get(reverse("bodies:poll", args=[poll.pk])).status_code == status
    assert client.get(reverse("bodies:decision", args=[decision.pk])).status_code == status
    listed = client.get(reverse("bodies:polls", args=[body.slug])).content.decode()
    assert (reverse("bodies:poll", args=[poll.pk]) in listed) is expected
    register = client.get(reverse("bodies:decisions")).content.decode()
    assert ("Beschluss X" in register) is expected


@pytest.mark.parametrize("name", PERSONAS)
def test_a_poll_in_a_hidden_body_is_hidden_whatever_its_own_level(client, persona, name):
    body = BodyFactory(visibility=Visibility.ADMIN_INTERNAL)
    poll = create_poll(body=body, title="Intern", visibility=Visibility.PUBLIC)
    user = persona(name, body=body)
    _login(client, user)
    expected = Visibility.ADMIN_INTERNAL in SEES[name]
    response = client.get(reverse("bodies:poll", args=[poll.pk]))
    assert response.status_code == (200 if expected else 404)


@pytest.mark.parametrize(
    ("name", "on_team_body", "elsewhere"),
    [
        ("anonymous", False, False),
        ("association_member", False, False),
        ("body_member", False, False),
        ("v_extern", True, False),
        ("v_intern", True, False),
        ("councillor", False, False),
        ("superuser", True, True),
    ],
)
@pytest.mark.parametrize("run_by_aks_team", [True, False])
def test_only_chairs_and_staff_of_team_bodies_open_and_close_polls(
    client, persona, name, on_team_body, elsewhere, run_by_aks_team
):
    allowed = on_team_body if run_by_aks_team else elsewhere
    body = BodyFactory(run_by_aks_team=run_by_aks_team)
    poll = create_poll(body=body, title="Antrag", visibility=Visibility.PUBLIC)
    user = persona(name, body=body)
    _login(client, user)
    response = client.post(reverse("bodies:poll_open", args=[poll.pk]))
    poll.refresh_from_db()
    if name == "anonymous":
        assert response.status_code == 302 and "anmelden" in response["Location"]
    else:
        assert response.status_code == (302 if allowed else 403)
    assert (poll.status == PollStatus.OPEN) is allowed
    create = client.get(reverse("bodies:poll_create", args=[body.slug]))
    if name == "anonymous":
        assert create.status_code == 302 and "anmelden" in create["Location"]
    else:
        assert create.status_code == (200 if allowed else 403)


@pytest.mark.parametrize("role", ["chair", "deputy", "organizer"])
def test_the_chair_deputy_and_organisers_of_the_body_may_run_its_polls(
    client, make_user, member_of, role
):
    body = BodyFactory(run_by_aks_team=False)
    chair = make_user()
    member_of(chair, body, role=role)
    poll = create_poll(body=body, title="Antrag")
    client.force_login(chair)
    client.post(reverse("bodies:poll_open", args=[poll.pk]))
    assert Poll.objects.get(pk=poll.pk).status == PollStatus.OPEN


@pytest.mark.parametrize("role", [roles.V_EXTERN, roles.V_INTERN])
def test_staff_who_are_ordinary_members_of_a_body_the_team_does_not_run_see_no_chair_controls(
    client, make_user, member_of, role
):
    body = BodyFactory(run_by_aks_team=False)
    staff = make_user(role)
    member_of(staff, body)
    poll = create_poll(body=body, title="Antrag", visibility=Visibility.PUBLIC)
    client.force_login(staff)
    content = client.get(reverse("bodies:poll", args=[poll.pk])).content.decode()
    assert 'id="chair-heading"' not in content
    assert reverse("bodies:poll_open", args=[poll.pk]) not in content
    polls = client.get(reverse("bodies:polls", args=[body.slug])).content.decode()
    assert reverse("bodies:poll_create", args=[body.slug]) not in polls
    assert client.post(reverse("bodies:poll_open", args=[poll.pk])).status_code == 403
    assert Poll.objects.get(pk=poll.pk).status == PollStatus.DRAFT


def test_a_member_votes_with_a_plain_form_and_sees_the_vote_confirmed(client, make_user, member_of):
    body = BodyFactory()
    voter = make_user()
    member_of(voter, body)
    poll = open_poll(poll=create_poll(body=body, title="Antrag"))
    client.force_login(voter)
    page = client.get(reverse("bodies:poll", args=[poll.pk]))
    assert_valid_html(page)
    assert "Stimme abgeben" in page.content.decode()
    response = client.post(
        reverse("bodies:poll_vote", args=[poll.pk]), {"choices": yes(poll)}, follow=True
    )
    content = response.content.decode()
    assert "Ihre Stimme wurde gezählt" in content
    assert "Sie haben abgestimmt" in content
    assert Vote.objects.filter(poll=poll).count() == 1
    again = client.post(reverse("bodies:poll_vote", args=[poll.pk]), {"choices": yes(poll)})
    assert again.status_code == 400
    assert Vote.objects.filter(poll=poll).count() == 1


def test_htmx_voting_answers_with_the_ballot_fragment(client, make_user, member_of):
    body = BodyFactory()
    voter = make_user()
    member_of(voter, body)
    poll = open_poll(poll=create_poll(body=body, title="Antrag"))
    client.force_login(voter)
    response = client.post(
        reverse("bodies:poll_vote", args=[poll.pk]), {"choices": yes(poll)}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert response.status_code == 200
    assert content.lstrip().startswith('<section id="ballot"')
    assert "Ihre Stimme wurde gezählt" in content


def test_htmx_voting_updates_the_turnout_above_the_ballot_too(client, make_user, member_of):
    body = BodyFactory()
    voter = make_user()
    member_of(voter, body)
    MembershipFactory.create_batch(4, body=body)
    poll = open_poll(poll=create_poll(body=body, title="Antrag"))
    client.force_login(voter)
    page = client.get(reverse("bodies:poll", args=[poll.pk])).content.decode()
    assert '<dd id="poll-turnout">0 von 5 haben abgestimmt</dd>' in page
    response = client.post(
        reverse("bodies:poll_vote", args=[poll.pk]), {"choices": yes(poll)}, HTTP_HX_REQUEST="true"
    )
    content = response.content.decode()
    assert "Ihre Stimme wurde gezählt" in content
    assert '<dd id="poll-turnout" hx-swap-oob="true">1 von 5 haben abgestimmt</dd>' in content
    page = client.get(reverse("bodies:poll", args=[poll.pk])).content.decode()
    assert '<dd id="poll-turnout">1 von 5 haben abgestimmt</dd>' in page
    assert "hx-swap-oob" not in page


def test_the_recorded_choices_are_shown_apart(client, make_user, member_of):
    body = BodyFactory()
    voter = make_user()
    member_of(voter, body)
    poll = open_poll(
        poll=create_poll(
            body=body, title="Themen", kind="approval", options=["Leerstand", "Erbbaurecht"]
        )
    )
    client.force_login(voter)
    choices = list(poll.options.order_by("position").values_list("pk", flat=True))
    response = client.post(
        reverse("bodies:poll_vote", args=[poll.pk]), {"choices": choices}, follow=True
    )
    assert_valid_html(response)
    assert (
        "Erfasste Wahl: <strong>Leerstand</strong>, <strong>Erbbaurecht</strong>"
        in response.content.decode()
    )


def test_a_draft_election_shows_its_candidates_target_body_and_term(client, make_user):
    body = BodyFactory(run_by_aks_team=True)
    team = BodyFactory(name="Strategieteam", parent=body)
    start = datetime.date.today() + datetime.timedelta(days=30)
    poll = create_poll(
        body=body,
        title="Wahl des Teams",
        kind="election",
        candidates=[PersonFactory(name="Amira Haddad"), PersonFactory(name="Jonas Peschke")],
        elects_into=team,
        term_start=start,
        term_end=start + datetime.timedelta(days=364),
        visibility=Visibility.PUBLIC,
    )
    client.force_login(make_user(roles.V_INTERN))
    response = client.get(reverse("bodies:poll", args=[poll.pk]))
    assert_valid_html(response)
    content = response.content.decode()
    candidates = content.split('id="options-heading">Kandidierende</h2>')[1].split("</ul>")[0]
    assert "<li>Amira Haddad</li>" in candidates and "<li>Jonas Peschke</li>" in candidates
    assert f'<dt>Wählt Mitglieder in</dt><dd><a href="{team.get_absolute_url()}">' in content
    with translation.override("de"):
        term = " – ".join(
            date_format(day, "DATE_FORMAT") for day in (poll.term_start, poll.term_end)
        )
    assert f"<dt>Amtszeit</dt><dd>{term}</dd>" in content


def test_a_draft_poll_names_its_target_body_only_to_those_who_see_it(client):
    body = BodyFactory()
    hidden = BodyFactory(name="Geheime Runde", parent=body, visibility=Visibility.ADMIN_INTERNAL)
    poll = create_poll(
        body=body,
        title="Wahl",
        kind="election",
        candidates=[PersonFactory()],
        elects_into=hidden,
        term_start=datetime.date.today(),
        term_end=datetime.date.today() + datetime.timedelta(days=30),
        visibility=Visibility.PUBLIC,
    )
    content = client.get(reverse("bodies:poll", args=[poll.pk])).content.decode()
    assert "Geheime Runde" not in content
    assert "Wählt Mitglieder in" not in content


def test_a_closed_or_cancelled_poll_shows_no_empty_chair_box(client, make_user, member_of):
    body = BodyFactory(run_by_aks_team=True)
    voter = make_user()
    member_of(voter, body)
    closed = open_poll(poll=create_poll(body=body, title="Antrag", visibility=Visibility.PUBLIC))
    cast_vote(poll=closed, person=voter.person, choices=[yes(closed)])
    close_poll(poll=closed)
    cancelled = create_poll(body=body, title="Zurückgezogen", visibility=Visibility.PUBLIC)
    cancel_poll(poll=cancelled)
    draft = create_poll(body=body, title="Entwurf", visibility=Visibility.PUBLIC)
    client.force_login(make_user(roles.V_INTERN))
    for poll in (closed, cancelled):
        content = client.get(reverse("bodies:poll", args=[poll.pk])).content.decode()
        assert 'id="chair-heading"' not in content
    assert (
        'id="chair-heading"' in client.get(reverse("bodies:poll", args=[draft.pk])).content.decode()
    )


@pytest.mark.parametrize(
    ("language", "words"),
    [("de", "gewählt: Amira Haddad (Amira Haddad 1)"), ("en", "elected: Amira Haddad")],
)
def test_an_election_decision_shows_its_result_in_the_readers_language(
    client, make_user, member_of, language, words
):
    from django.conf import settings

    body = BodyFactory()
    voter = make_user()
    member_of(voter, body)
    poll = open_poll(
        poll=create_poll(
            body=body,
            title="Wahl der Sprecherin",
            motion="Der Kreis wählt eine Sprecherin.",
            kind="election",
            candidates=[PersonFactory(name="Amira Haddad")],
            visibility=Visibility.PUBLIC,
        )
    )
    cast_vote(poll=poll, person=voter.person, choices=[poll.options.get().pk])
    decision = close_poll(poll=poll).decision
    assert decision.text == "Der Kreis wählt eine Sprecherin."
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    response = client.get(reverse("bodies:decision", args=[decision.pk]))
    assert_valid_html(response)
    content = response.content.decode()
    assert words in content
    assert ("gewählt:" in content) is (language == "de")


def test_an_election_decision_names_the_elected_to_readers_who_cannot_open_the_poll(
    client, make_user, member_of
):
    body = BodyFactory()
    voter = make_user()
    member_of(voter, body)
    poll = open_poll(
        poll=create_poll(
            body=body,
            title="Wahl",
            kind="election",
            candidates=[PersonFactory(name="Amira Haddad")],
            visibility=Visibility.MEMBERS,
        )
    )
    cast_vote(poll=poll, person=voter.person, choices=[poll.options.get().pk])
    decision = close_poll(poll=poll).decision
    decision.visibility = Visibility.PUBLIC
    decision.save()
    content = client.get(reverse("bodies:decision", args=[decision.pk])).content.decode()
    assert "gewählt: Amira Haddad" in content
    assert reverse("bodies:poll", args=[poll.pk]) not in content


def test_an_invalid_ballot_is_answered_in_german_and_stores_nothing(client, make_user, member_of):
    body = BodyFactory()
    voter = make_user()
    member_of(voter, body)
    poll = open_poll(poll=create_poll(body=body, title="Antrag"))
    client.force_login(voter)
    response = client.post(reverse("bodies:poll_vote", args=[poll.pk]), {"choices": "abc"})
    assert response.status_code == 400
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
    assert not Vote.objects.exists()


def test_a_second_delegate_is_told_on_the_page_that_the_group_has_voted(
    client, make_user, member_of
):
    body = BodyFactory(voting_unit=VotingUnit.ORGANISATION)
    group = OrganisationFactory(name="Mieterinitiative Hasenheide")
    first, second = make_user(), make_user()
    member_of(first, body, role="delegate", organisation=group)
    member_of(second, body, role="delegate", organisation=group)
    poll = open_poll(poll=create_poll(body=body, title="Kampagne"))
    cast_vote(poll=poll, person=first.person, choices=[yes(poll)])
    client.force_login(second)
    content = client.get(reverse("bodies:poll", args=[poll.pk])).content.decode()
    assert "Ihre Gruppe hat abgestimmt: Mieterinitiative Hasenheide" in content
    assert "Stimme abgeben" not in content


def test_closing_in_the_browser_shows_the_result_and_the_decision(client, make_user, member_of):
    body = BodyFactory(short_name="SR", run_by_aks_team=True)
    staff = make_user(roles.V_INTERN)
    voter = make_user()
    member_of(voter, body, side="civil_society")
    poll = open_poll(
        poll=create_poll(body=body, title="Leerstand sichern", visibility=Visibility.PUBLIC)
    )
    cast_vote(poll=poll, person=voter.person, choices=[yes(poll)])
    client.force_login(staff)
    response = client.post(reverse("bodies:poll_close", args=[poll.pk]), follow=True)
    content = response.content.decode()
    assert_valid_html(response)
    assert "angenommen: 1 Ja, 0 Nein, 0 Enthaltungen" in content
    decision = Decision.objects.get(poll=poll)
    assert decision.number in content
    register = client.get(reverse("bodies:decisions"), {"q": decision.number})
    assert "Leerstand sichern" in register.content.decode()
    assert_valid_html(register)


def _analog_poll(voters: int):
    body = BodyFactory(run_by_aks_team=True)
    MembershipFactory.create_batch(voters, body=body)
    return open_poll(
        poll=create_poll(
            body=body, title="Offene Versammlung", counting="analog", visibility=Visibility.PUBLIC
        )
    )


def _counts_data(poll, *, valid, invalid, yes, no, abstain):
    options = {o.meaning: o.pk for o in poll.options.all()}
    return {
        "valid": valid,
        "invalid": invalid,
        f"option_{options['yes']}": yes,
        f"option_{options['no']}": no,
        f"option_{options['abstain']}": abstain,
    }


def test_the_poll_page_refuses_more_ballots_than_voters_on_the_roll(client, make_user):
    poll = _analog_poll(voters=10)
    client.force_login(make_user(roles.V_EXTERN))
    response = client.post(
        reverse("bodies:poll_counts", args=[poll.pk]),
        _counts_data(poll, valid=10, invalid=1, yes=8, no=1, abstain=1),
    )
    assert response.status_code == 400
    assert_valid_html(response)
    content = response.content.decode()
    summary = content.split('class="error-summary" role="alert"')[1].split("</div>")[0]
    assert (
        "Gültige und ungültige Stimmen (zusammen 11) dürfen nicht mehr sein als die "
        "10 Stimmberechtigten." in summary
    )
    poll.refresh_from_db()
    assert poll.valid_ballots is None
    assert set(poll.options.values_list("analog_count", flat=True)) == {None}


def test_an_analog_poll_shows_the_ballots_counted_in_the_room_as_its_turnout(client, make_user):
    poll = _analog_poll(voters=12)
    client.force_login(make_user(roles.V_EXTERN))
    before = client.get(reverse("bodies:poll", args=[poll.pk])).content.decode()
    assert '<dd id="poll-turnout">noch nicht gezählt</dd>' in before
    client.post(
        reverse("bodies:poll_counts", args=[poll.pk]),
        _counts_data(poll, valid=10, invalid=2, yes=8, no=1, abstain=1),
    )
    after = client.get(reverse("bodies:poll", args=[poll.pk]))
    assert_valid_html(after)
    content = after.content.decode()
    assert "<dt>Beteiligung</dt>" in content
    assert '<dd id="poll-turnout">12 von 12 im Saal gezählt</dd>' in content


def test_the_chair_enters_counts_from_the_room_and_bad_counts_change_nothing(client, make_user):
    staff = make_user(roles.V_EXTERN)
    body = BodyFactory(run_by_aks_team=True)
    MembershipFactory.create_batch(12, body=body)
    poll = open_poll(
        poll=create_poll(
            body=body,
            title="Offene Versammlung",
            counting="analog",
            visibility=Visibility.PUBLIC,
        )
    )
    options = {o.meaning: o.pk for o in poll.options.all()}
    client.force_login(staff)
    bad = client.post(
        reverse("bodies:poll_counts", args=[poll.pk]),
        {
            "valid": 10,
            "invalid": 0,
            f"option_{options['yes']}": 8,
            f"option_{options['no']}": 1,
            f"option_{options['abstain']}": 0,
        },
    )
    assert bad.status_code == 400
    assert "müssen zusammen die gültigen Stimmen" in bad.content.decode()
    assert Poll.objects.get(pk=poll.pk).valid_ballots is None
    good = client.post(
        reverse("bodies:poll_counts", args=[poll.pk]),
        {
            "valid": 10,
            "invalid": 2,
            f"option_{options['yes']}": 8,
            f"option_{options['no']}": 1,
            f"option_{options['abstain']}": 1,
        },
    )
    assert good.status_code == 302
    client.post(reverse("bodies:poll_close", args=[poll.pk]))
    poll.refresh_from_db()
    assert poll.adopted is True and poll.result["invalid"] == 2


def test_creating_a_poll_in_the_browser_makes_a_draft(client, make_user):
    body = BodyFactory(run_by_aks_team=True)
    client.force_login(make_user(roles.V_INTERN))
    page = client.get(reverse("bodies:poll_create", args=[body.slug]))
    assert_valid_html(page)
    response = client.post(
        reverse("bodies:poll_create", args=[body.slug]),
        {
            "title": "Themen 2027",
            "kind": "approval",
            "counting": "electronic",
            "majority": "simple",
            "seats": 1,
            "visibility": "members",
            "options": "Leerstand\nErbbaurecht\n\nKooperation",
        },
    )
    poll = Poll.objects.get(title="Themen 2027")
    assert response.status_code == 302
    assert list(poll.options.values_list("label", flat=True)) == [
        "Leerstand",
        "Erbbaurecht",
        "Kooperation",
    ]
    refused = client.post(
        reverse("bodies:poll_create", args=[body.slug]),
        {
            "title": "Kaputt",
            "kind": "approval",
            "counting": "electronic",
            "majority": "two_thirds",
            "seats": 1,
            "visibility": "members",
            "options": "A\nB",
        },
    )
    assert refused.status_code == 200
    assert "einfacher oder absoluter Mehrheit" in refused.content.decode()
    assert not Poll.objects.filter(title="Kaputt").exists()


@pytest.mark.django_db(transaction=False)
@pytest.mark.parametrize("size", [10, 500])
def test_poll_page_queries_do_not_grow_with_votes(
    client, make_user, member_of, django_assert_max_num_queries, size
):
    body = BodyFactory()
    reader = make_user()
    member_of(reader, body)
    people = PersonFactory.create_batch(size)
    for person in people:
        MembershipFactory(body=body, person=person)
    poll = open_poll(poll=create_poll(body=body, title="Groß"))
    votes = [
        Vote(poll=poll, entitlement=e, side=e.side, choices=[yes(poll)])
        for e in poll.entitlements.exclude(person=reader.person)
    ]
    Vote.objects.bulk_create(votes)
    client.force_login(reader)
    # The navigation asks once whether a reader outside the team chairs a body.
    with django_assert_max_num_queries(17):
        assert client.get(reverse("bodies:poll", args=[poll.pk])).status_code == 200
    close_poll(poll=poll)
    with django_assert_max_num_queries(17):
        assert client.get(reverse("bodies:poll", args=[poll.pk])).status_code == 200


@pytest.mark.parametrize("size", [10, 300])
def test_decision_register_queries_do_not_grow(
    client, make_user, django_assert_max_num_queries, size
):
    bodies = BodyFactory.create_batch(3)
    for i in range(size):
        record_decision(
            body=bodies[i % 3],
            title=f"Beschluss {i}",
            decided_on=datetime.date(2026, 1, 1) + datetime.timedelta(days=i % 300),
            visibility=Visibility.values[i % 5],
        )
    client.force_login(make_user(roles.COUNCILLOR))
    with django_assert_max_num_queries(8):
        response = client.get(reverse("bodies:decisions"), {"year": 2026})
    assert response.status_code == 200
    assert_valid_html(response)


def test_decision_register_answers_bad_filters_in_german(client):
    response = client.get(reverse("bodies:decisions"), {"year": "zwanzig", "body": "999"})
    assert response.status_code == 200
    assert "Bitte eine gültige Auswahl treffen" in response.content.decode()
