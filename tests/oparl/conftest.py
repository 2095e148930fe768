import pytest
from django.test import Client

from tests.oparl.schema import load_validators


@pytest.fixture
def api(db):
    """A client for the endpoint that returns parsed JSON and checks the basics."""
    client = Client()

    def get(path, status=200, raw=False, **params):
        path = path.removeprefix("http://testserver")
        response = client.get(path, params)
        assert response.status_code == status, (path, response.status_code, response.content)
        assert response["Content-Type"].startswith("application/json")
        assert response["Access-Control-Allow-Origin"] == "*"
        return response.content.decode() if raw else response.json()

    return get


@pytest.fixture
def document_urls(monkeypatch):
    """Stand-ins for ``meetings:agenda_pdf`` / ``meetings:minutes_pdf`` while the
    documents work is not mounted; the real views are used once they exist."""
    from django.urls import NoReverseMatch, reverse

    from oparl.serializers import Context

    original = Context.document_url

    def document_url(self, name, meeting_pk):
        try:
            reverse(f"meetings:{name}", kwargs={"pk": meeting_pk})
        except NoReverseMatch:
            return self.absolute(f"/sitzungen/{meeting_pk}/{name}.pdf")
        return original(self, name, meeting_pk)

    monkeypatch.setattr(Context, "document_url", document_url)


@pytest.fixture(scope="module")
def validators():
    """The OParl schemas as validators by type name, loaded once per module."""
    return load_validators()
