"""The demo's bodies by address: each demo login is refused the internal bodies of the
other side with a German 404 that does not name them, and the superuser opens them all.
(Which bodies each role finds by clicking through the list is a browser journey.)"""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from aks.accounts import roles
from bodies.demo import DEMO_USERS, seed_bodies
from bodies.models import Body

pytestmark = pytest.mark.django_db

EMAIL = {role: email for email, _name, role in DEMO_USERS}
SUPERUSER = EMAIL[None]
PUBLIC = {"steuerungsrunde", "traegerverein", "aktionsteam-wohnen", "ag1"}

# A body each demo login must not be able to open by its address.
HIDDEN_BY_URL = {
    None: "aks-team",
    roles.V_INTERN: "vorstand-traegerverein",
    roles.V_EXTERN: "verwaltungsinterne-steuerungsrunde",
    roles.COUNCILLOR: "vorstand-traegerverein",
    roles.ASSOCIATION_MEMBER: "kernkreis",
}


@pytest.fixture
def demo_bodies():
    seed_bodies()


@pytest.mark.parametrize(
    ("role", "slug"), list(HIDDEN_BY_URL.items()), ids=lambda v: str(v or "anonymous")
)
def test_it_answers_404_for_a_hidden_demo_body_by_its_address(client, demo_bodies, role, slug):
    if role:
        client.force_login(get_user_model().objects.get(email=EMAIL[role]))
    hidden = Body.objects.get(slug=slug)

    response = client.get(reverse("bodies:detail", args=[slug]))

    assert response.status_code == 404
    content = response.content.decode()
    assert "Seite nicht gefunden" in content
    assert hidden.name not in content


def test_the_superuser_opens_every_internal_demo_body(client, demo_bodies):
    client.force_login(get_user_model().objects.get(email=SUPERUSER))
    internal = Body.objects.exclude(slug__in=PUBLIC).order_by("slug")
    assert internal.count() == 5
    for body in internal:
        response = client.get(reverse("bodies:detail", args=[body.slug]))
        assert response.status_code == 200, body.slug
        assert f"<h1>{body.name}</h1>" in response.content.decode()
