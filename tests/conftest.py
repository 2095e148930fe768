import pytest

from .factories import MembershipFactory, PersonFactory, UserFactory
from .personas import make_persona


@pytest.fixture
def make_user(db):
    def make(*role_names, **kwargs):
        return UserFactory(roles=list(role_names), **kwargs)

    return make


@pytest.fixture
def member_of(db):
    """Give ``user`` an active membership in ``body`` and return the membership."""

    def make(user, body, **kwargs):
        from bodies.models import Person

        person = Person.objects.filter(user=user).first() or PersonFactory(user=user)
        return MembershipFactory(person=person, body=body, **kwargs)

    return make


@pytest.fixture
def persona(db):
    """Build the user for a persona name (``tests.personas``); anonymous is ``None``."""
    return make_persona


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Real hashing costs ~0.3 s per user; tests create hundreds of users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_a_temporary_folder(settings, tmp_path_factory):
    # Uploads and demo files of a test never land in the working tree's var/media.
    settings.MEDIA_ROOT = tmp_path_factory.getbasetemp() / "media"


@pytest.fixture
def eager_tasks():
    """Run Celery tasks in-process for this test, also where REDIS_URL names a broker
    (CI): tests that are not about the worker should not depend on one running."""
    from aks.celery import app

    saved = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = saved


@pytest.fixture(autouse=True)
def _german_by_default():
    """Each test starts in the platform's language: a request in another language
    (LocaleMiddleware activates it for the thread) must not carry over to the next
    test that renders a form outside a request."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)
