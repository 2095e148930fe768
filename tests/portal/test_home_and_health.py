import pytest
from django.urls import reverse

from bodies.access import Visibility
from tests.factories import BodyFactory
from tests.html import assert_valid_html


@pytest.mark.django_db
def test_home_shows_public_top_level_bodies_only(client):
    BodyFactory(name="Steuerungsrunde")
    BodyFactory(name="Teamrunde intern", visibility=Visibility.TEAM)
    response = client.get(reverse("portal:home"))
    content = response.content.decode()
    assert_valid_html(response)
    assert "Steuerungsrunde" in content
    assert "Teamrunde intern" not in content
    assert 'href="#main"' in content


@pytest.mark.django_db
def test_healthz_reports_database_and_broker(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    state = response.json()
    assert state["database"] == "ok"
    assert state["broker"] in {"ok", "eager"}
    assert state["status"] == "ok"


@pytest.mark.django_db
def test_healthz_says_503_when_the_broker_is_unreachable(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    assert response.json()["broker"] == "error"
