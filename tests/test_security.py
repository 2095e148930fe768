"""The security baseline: CSP, login throttling, cookies, forwarded addresses."""

import pytest
from django.conf import settings
from django.test import RequestFactory
from django.urls import reverse

from aks.accounts.network import client_ip
from tests.factories import UserFactory
from tests.html import assert_valid_html

pytestmark = pytest.mark.django_db


def test_every_page_carries_a_csp_without_inline_scripts(client):
    response = client.get(reverse("portal:home"))
    policy = response["Content-Security-Policy"]
    directives = {part.split()[0]: part.split()[1:] for part in policy.split(";") if part.strip()}
    assert directives["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in policy and "'unsafe-eval'" not in policy
    assert directives["frame-ancestors"] == ["'none'"]
    assert directives["object-src"] == ["'none'"]


def test_pages_forbid_framing_and_sniffing(client):
    response = client.get(reverse("portal:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


def _attempt(client, email, password, ip="203.0.113.9"):
    return client.post(
        reverse("accounts:login"),
        {"username": email, "password": password},
        REMOTE_ADDR=ip,
    )


def test_it_locks_an_address_after_five_wrong_passwords(client):
    user = UserFactory(email="kim@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        assert _attempt(client, user.email, "falsch").status_code == 200
    assert _attempt(client, user.email, "falsch").status_code == 429
    locked = _attempt(client, user.email, "correct horse battery staple")
    assert locked.status_code == 429
    assert "Zu viele fehlgeschlagene Anmeldungen" in locked.content.decode()
    # the same account from another client address still works
    other = _attempt(client, user.email, "correct horse battery staple", ip="198.51.100.7")
    assert other.status_code == 302


def test_a_successful_login_resets_the_failure_count(client):
    user = UserFactory(email="ada@example.org")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, user.email, "falsch")
    assert _attempt(client, user.email, "correct horse battery staple").status_code == 302
    client.logout()
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        _attempt(client, user.email, "falsch")
    assert _attempt(client, user.email, "correct horse battery staple").status_code == 302


def test_session_cookies_are_httponly_samesite_and_last_a_working_day(client):
    user = UserFactory()
    response = _attempt(client, user.email, "correct horse battery staple")
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    assert cookie["httponly"]
    assert cookie["samesite"] == "Lax"
    assert 8 * 3600 <= settings.SESSION_COOKIE_AGE <= 10 * 3600


def test_passwords_are_checked_by_the_validators():
    names = {v["NAME"].rsplit(".", 1)[1] for v in settings.AUTH_PASSWORD_VALIDATORS}
    assert {
        "UserAttributeSimilarityValidator",
        "MinimumLengthValidator",
        "CommonPasswordValidator",
        "NumericPasswordValidator",
    } <= names


@pytest.mark.parametrize(
    ("proxies", "forwarded", "expected"),
    [
        (0, "1.1.1.1", "10.0.0.2"),  # no trusted proxy: the header is ignored
        (1, "6.6.6.6, 192.0.2.4", "192.0.2.4"),  # the client forged the first entry
        (2, "6.6.6.6, 192.0.2.4, 10.0.0.9", "192.0.2.4"),
        (1, "", "10.0.0.2"),
    ],
)
def test_the_client_address_comes_only_from_trusted_proxies(settings, proxies, forwarded, expected):
    settings.TRUSTED_PROXY_COUNT = proxies
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)
    assert client_ip(request) == expected


def test_it_answers_a_bad_request_with_a_german_page(client):
    # A host not in ALLOWED_HOSTS is Django's own way to a 400.
    response = client.get("/", HTTP_HOST="nicht-erlaubt.example")
    assert response.status_code == 400
    page = response.content.decode()
    assert "<h1>Ungültige Anfrage</h1>" in page
    assert_valid_html(response)
